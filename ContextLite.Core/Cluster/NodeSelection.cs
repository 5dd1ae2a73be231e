namespace ContextLite.Cluster;

/// <summary>The outcome of routing one workspace: the chosen node, or why there is none.</summary>
/// <param name="Workspace">The workspace id routed.</param>
/// <param name="NodeId">The chosen node; null when no eligible node is healthy.</param>
/// <param name="Owner">The workspace's primary node (first in placement order), healthy or not.</param>
/// <param name="Replicas">The nodes eligible for the workspace (the first R in placement order).</param>
/// <param name="ResourceTier">The workspace's resource tier (its affinity rule's, else the default tier).</param>
/// <param name="Strategy">The strategy that chose.</param>
/// <param name="Error">Why no node was chosen, phrased for the client; null on success.</param>
public sealed record NodeSelection(
    string Workspace,
    string? NodeId,
    string? Owner,
    IReadOnlyList<string> Replicas,
    string ResourceTier,
    RoutingStrategy Strategy,
    string? Error)
{
    /// <summary>True when a node was chosen.</summary>
    public bool Succeeded => NodeId is not null;

    /// <summary>True when a node other than the owner was chosen because the owner is down.</summary>
    public bool IsFailover { get; init; }

    /// <summary>True when <see cref="RoutingStrategy.ResourceBased"/> found every eligible node at or above the cap.</summary>
    public bool Overloaded { get; init; }
}
