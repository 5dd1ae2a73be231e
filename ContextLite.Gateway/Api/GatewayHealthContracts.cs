namespace ContextLite.Gateway.Api;

/// <summary>The gateway's <c>/health</c>: the cluster as every node reports itself.</summary>
internal sealed record GatewayHealthResponse(
    string Status,
    int ClusterSize,
    int HealthyNodes,
    string? LeaderNode,
    string Strategy,
    IReadOnlyDictionary<string, NodeHealthSummary> Nodes,
    WorkspacePlacementSummary Workspaces,
    SessionsSummary Sessions)
{
    /// <summary>With replication (<c>gateway:replication_factor</c> above 1): the factor, each workspace's primary and the cluster's under-replicated count.</summary>
    public ReplicationSummary? Replication { get; init; }
}

/// <summary>
/// Replication across the cluster: <c>under_replicated_workspaces</c> sums what each reachable primary reports (a
/// workspace has one primary, so none is counted twice); <c>primaries</c> maps workspaces to the node that is their primary.
/// </summary>
internal sealed record ReplicationSummary(int Factor, int UnderReplicatedWorkspaces, IReadOnlyDictionary<string, string> Primaries);

/// <summary>One node: its own status (or <c>unreachable</c>), address, load and workspace count.</summary>
internal sealed record NodeHealthSummary(
    string Status,
    string Url,
    bool Routable,
    int ActiveRequests,
    double? LoadFactor,
    int Workspaces,
    string? Error);

/// <summary>Every workspace the reachable nodes hold, and which node holds it.</summary>
internal sealed record WorkspacePlacementSummary(int TotalWorkspaces, IReadOnlyDictionary<string, string> Workspaces);

/// <summary>Where sticky sessions are kept (<c>redis</c> or <c>memory</c>) and whether Redis is configured but down.</summary>
internal sealed record SessionsSummary(string Store, bool RedisConfigured, bool RedisDegraded, long TtlSeconds);
