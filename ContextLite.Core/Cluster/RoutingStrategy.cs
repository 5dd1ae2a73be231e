namespace ContextLite.Cluster;

/// <summary>How the gateway chooses among the nodes eligible for a workspace.</summary>
public enum RoutingStrategy
{
    /// <summary><c>workspace_hash</c>: the first healthy eligible node in placement order (the owner when it is up).</summary>
    WorkspaceHash,

    /// <summary><c>least_connections</c>: the healthy eligible node with the fewest active requests.</summary>
    LeastConnections,

    /// <summary><c>resource_based</c>: the healthy eligible node with the lowest load factor under <c>max_load_factor</c>.</summary>
    ResourceBased,
}
