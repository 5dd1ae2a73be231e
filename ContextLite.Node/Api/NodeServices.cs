using ContextLite.Cluster;
using ContextLite.Embeddings;
using ContextLite.Node.Caching;
using ContextLite.Search;
using ContextLite.Node.Configuration;
using ContextLite.Node.Diagnostics;
using ContextLite.Node.Hosting;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Api;

/// <summary>What the API handlers share, injected as one parameter.</summary>
internal sealed class NodeServices(
    WorkspaceResolver resolver,
    WorkspaceCatalog catalog,
    NodeTelemetry telemetry,
    NodeIdentity identity,
    TimeProvider time,
    WorkspaceVectors vectors,
    EmbeddingWorker embeddings,
    WorkspaceCacheLedger cacheLedger,
    IOptions<ServerOptions> server,
    IOptions<StorageOptions> storage,
    IOptions<ClusterOptions> cluster,
    ContextLite.Node.Replication.ReplicationCoordinator replication)
{
    public WorkspaceResolver Resolver { get; } = resolver;

    public WorkspaceCatalog Catalog { get; } = catalog;

    public NodeTelemetry Telemetry { get; } = telemetry;

    public NodeIdentity Identity { get; } = identity;

    public TimeProvider Time { get; } = time;

    public WorkspaceVectors Vectors { get; } = vectors;

    public EmbeddingWorker Embeddings { get; } = embeddings;

    /// <summary>The bytes each workspace holds in the in-process assemble cache.</summary>
    public WorkspaceCacheLedger CacheLedger { get; } = cacheLedger;

    public ServerOptions Server { get; } = server.Value;

    public StorageOptions Storage { get; } = storage.Value;

    public ClusterOptions Cluster { get; } = cluster.Value;

    /// <summary>Which node may write a workspace, and how many copies a write reached.</summary>
    public ContextLite.Node.Replication.ReplicationCoordinator Replication { get; } = replication;
}
