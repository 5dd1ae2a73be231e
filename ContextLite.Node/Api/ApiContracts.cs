using System.Text.Json;

namespace ContextLite.Node.Api;

/// <summary>The result of writing one document.</summary>
internal sealed record DocumentWriteResponse(
    string Workspace, string Id, string Path, string Status, long Version, int Chunks, int Tokens)
{
    /// <summary>With replication: how many copies the write reached before this answer.</summary>
    public Replication.ReplicationReport? Replication { get; init; }
}

/// <summary>The result of a batch write: counts and one entry per item, in request order.</summary>
internal sealed record BatchWriteResponse(
    string Workspace, int Added, int Updated, int Unchanged, int Errors, IReadOnlyList<BatchItemResponse> Results)
{
    /// <summary>With replication: how many copies the writes reached before this answer.</summary>
    public Replication.ReplicationReport? Replication { get; init; }
}

/// <summary>One item of a batch write.</summary>
internal sealed record BatchItemResponse(
    int Index, string? Id, string? Path, string Status, long? Version, int? Chunks, int? Tokens, string? Error);

/// <summary>A stored document.</summary>
internal sealed record DocumentResponse(
    string Id,
    string Path,
    string? Content,
    string ContentHash,
    int Tokens,
    int ChunkCount,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    IReadOnlyList<ChunkResponse>? Chunks);

/// <summary>A chunk of a stored document.</summary>
internal sealed record ChunkResponse(long Id, int Ordinal, int StartLine, int EndLine, int Tokens, string? Text);

/// <summary>A page of documents.</summary>
internal sealed record DocumentListResponse(
    string Workspace, long Total, int Count, string? NextCursor, IReadOnlyList<DocumentResponse> Items);

/// <summary>A workspace's description.</summary>
internal sealed record WorkspaceResponse(
    string Id,
    long Documents,
    long Chunks,
    long Tokens,
    long BytesOnDisk,
    long Version,
    int SchemaVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? LastAccess,
    string ResourceTier,
    EmbeddingProgressResponse Embeddings,
    ClustersResponse? Clusters);

/// <summary>How far background embedding has come.</summary>
internal sealed record EmbeddingProgressResponse(string? Model, int? Dimension, long Embedded, long Pending, bool Queued);

/// <summary>The workspace's IVF clusters, and how the last build went (when it was recorded).</summary>
internal sealed record ClustersResponse(int K, long Version, DateTimeOffset BuiltAt, long ChunksAtBuild, ClusterBuildResponse? LastBuild);

/// <summary>The last k-means build: who ran it, over how many vectors, its iterations, inertia Σ(1 − cos) and seconds.</summary>
internal sealed record ClusterBuildResponse(string BuiltBy, long N, int Iterations, double Inertia, double Seconds);

/// <summary>Every workspace on the node.</summary>
internal sealed record WorkspaceListResponse(string NodeId, int Total, IReadOnlyList<WorkspaceResponse> Workspaces);

/// <summary>The seed's health shape.</summary>
internal sealed record HealthResponse(
    string Status,
    string NodeId,
    string Version,
    long UptimeSeconds,
    ClusterHealth Cluster,
    MemoryHealth? Memory,
    WorkspacesHealth? Workspaces)
{
    /// <summary>With replication: factor, roles and lag per workspace, under-replicated workspaces.</summary>
    public ReplicationHealth? Replication { get; init; }
}

/// <summary>
/// What this node holds as primary and as replica, and how far behind each copy is; <c>moving</c> lists the workspaces
/// held here outside their placement (the cluster's nodes changed): they go once their new copies are complete.
/// </summary>
internal sealed record ReplicationHealth(
    int Factor,
    int WriteConsistency,
    IReadOnlyList<string> Peers,
    long Failovers,
    int UnderReplicatedWorkspaces,
    IReadOnlyList<string> Moving,
    IReadOnlyDictionary<string, WorkspaceReplicationHealth>? Workspaces);

/// <summary>
/// One workspace: <c>role</c> primary or replica, the primary and epoch, the nodes that hold it, <c>head</c> (the
/// primary's last sequence number as known here), <c>applied</c> (a replica's position) and <c>lag</c> = head − applied;
/// on a primary, <c>acked</c> per replica.
/// </summary>
internal sealed record WorkspaceReplicationHealth(
    string Role,
    string? Primary,
    long? Epoch,
    IReadOnlyList<string> Replicas,
    long? Head,
    long? Applied,
    long? Lag,
    bool Resyncing,
    IReadOnlyDictionary<string, long>? Acked);

/// <summary>
/// The process's memory, so a soak can tell managed growth (the GC heap) from native growth (RSS minus what the GC
/// has committed: SQLite page caches, ONNX Runtime, malloc arenas).
/// </summary>
internal sealed record MemoryHealth(
    double RssMb,
    double ManagedHeapMb,
    double GcCommittedMb,
    double GcFragmentedMb,
    double AllocatedMb,
    int Gen2Collections);

internal sealed record ClusterHealth(
    bool Enabled,
    string NodeId,
    int ClusterSize,
    string LeaderNode,
    double LoadFactor,
    string DiscoveryMethod,
    string LoadBalancing);

internal sealed record WorkspacesHealth(
    int TotalWorkspaces, int ActiveWorkspaces, IReadOnlyDictionary<string, WorkspaceHealth> Workspaces);

internal sealed record WorkspaceHealth(
    bool Exists,
    long DocumentCount,
    long ChunkCount,
    long BytesOnDisk,
    string ResourceTier,
    long? LastAccess,
    string AccessPattern,
    int ActiveRequests,
    long QueryCount,
    double AvgResponseMs,
    double MemoryMb,
    double StorageMb);
