using ContextLite.Cluster;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Hosting;

/// <summary>Who this node is and since when it runs.</summary>
internal sealed class NodeIdentity(IOptions<ClusterOptions> cluster, TimeProvider time)
{
    public string NodeId { get; } = cluster.Value.NodeId;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}
