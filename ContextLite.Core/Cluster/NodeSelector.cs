namespace ContextLite.Cluster;

/// <summary>
/// Chooses the node that serves a workspace from the hash ring, affinity rules, node health and load.
/// Pure: the same inputs always give the same answer, so it is unit-tested without a network.
/// </summary>
/// <remarks>
/// <para>
/// <b>Placement</b> (where a workspace's data lives) ignores health, so a health flap never moves data:
/// the rule's <c>preferred_nodes</c> that are on the ring, in the order given; then the ring walk without
/// them and without <c>avoid_nodes</c>; then the avoided nodes in walk order (they only hold a workspace when
/// there is nothing else). The first R nodes of that order (R = replication factor) are the workspace's
/// <b>replicas</b>, the first of them its <b>owner</b>.
/// </para>
/// <para>
/// <b>Choice</b> applies health and load among the replicas only: healthy replicas, without avoided nodes
/// unless only avoided ones are healthy, then the strategy. <c>workspace_hash</c> takes the first in
/// placement order (the owner while it is up); <c>least_connections</c> the fewest active requests;
/// <c>resource_based</c> the lowest load factor under <c>max_load_factor</c>, else the lowest overall (and
/// says so). Ties go to placement order. With R = 1 (the only mode until replication exists) every strategy
/// reduces to the owner, and an owner that is down is an error naming it, rather than a silent move to a
/// node that does not hold the workspace's data.
/// </para>
/// </remarks>
public sealed class NodeSelector
{
    private readonly ClusterOptions _options;

    /// <summary>Creates a selector.</summary>
    /// <param name="options">Affinity rules, default tier, strategy and <c>max_load_factor</c>.</param>
    /// <param name="replicationFactor">How many nodes hold each workspace (R), at least 1.</param>
    /// <param name="strategy">Overrides <c>load_balancing.strategy</c> when given.</param>
    public NodeSelector(ClusterOptions options, int replicationFactor = 1, RoutingStrategy? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        _options = options;
        ReplicationFactor = replicationFactor;
        Strategy = strategy ?? ParseStrategy(options.LoadBalancing.Strategy);
    }

    /// <summary>The strategy in use.</summary>
    public RoutingStrategy Strategy { get; }

    /// <summary>R: how many nodes hold each workspace.</summary>
    public int ReplicationFactor { get; }

    /// <summary>Parses a configuration name (<c>workspace_hash</c>, <c>least_connections</c>, <c>resource_based</c>).</summary>
    public static RoutingStrategy ParseStrategy(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "workspace_hash" => RoutingStrategy.WorkspaceHash,
        "least_connections" => RoutingStrategy.LeastConnections,
        "resource_based" => RoutingStrategy.ResourceBased,
        _ => throw new ArgumentException(
            $"Routing strategy '{name}' is unknown; use one of {string.Join(", ", LoadBalancingOptions.Strategies)}.", nameof(name)),
    };

    /// <summary>The configuration name of <paramref name="strategy"/>.</summary>
    public static string NameOf(RoutingStrategy strategy) => LoadBalancingOptions.Strategies[(int)strategy];

    /// <summary>The nodes of <paramref name="workspace"/> in placement order (health ignored); see remarks.</summary>
    public IReadOnlyList<string> Placement(string workspace, HashRing ring)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(ring);
        var walk = ring.Walk(workspace);
        var rule = RuleFor(workspace);
        if (rule is null || (rule.PreferredNodes.Count == 0 && rule.AvoidNodes.Count == 0))
        {
            return walk;
        }

        var order = new List<string>(walk.Count);
        foreach (var preferred in rule.PreferredNodes)
        {
            var onRing = Find(walk, preferred);
            if (onRing is not null && !order.Contains(onRing, StringComparer.Ordinal) && !IsIn(rule.AvoidNodes, onRing))
            {
                order.Add(onRing);
            }
        }

        foreach (var node in walk)
        {
            if (!order.Contains(node, StringComparer.Ordinal) && !IsIn(rule.AvoidNodes, node))
            {
                order.Add(node);
            }
        }

        foreach (var node in walk)
        {
            if (IsIn(rule.AvoidNodes, node))
            {
                order.Add(node);
            }
        }

        return order;
    }

    /// <summary>Chooses the node for <paramref name="workspace"/>.</summary>
    /// <param name="workspace">A validated workspace id.</param>
    /// <param name="ring">The ring of every configured node.</param>
    /// <param name="loadOf">Health and load of a node; a node it does not know should be reported unhealthy.</param>
    public NodeSelection Select(string workspace, HashRing ring, Func<string, NodeLoad> loadOf)
    {
        ArgumentNullException.ThrowIfNull(loadOf);
        var placement = Placement(workspace, ring);
        var tier = RuleFor(workspace)?.ResourceTier is { Length: > 0 } own ? own : _options.Affinity.DefaultTier;
        if (placement.Count == 0)
        {
            return new NodeSelection(workspace, null, null, [], tier, Strategy, "The gateway has no nodes configured.");
        }

        var replicas = placement.Take(Math.Min(ReplicationFactor, placement.Count)).ToArray();
        var owner = replicas[0];
        var avoid = RuleFor(workspace)?.AvoidNodes ?? [];

        var healthy = new List<(string Node, NodeLoad Load)>(replicas.Length);
        foreach (var node in replicas)
        {
            var load = loadOf(node);
            if (load.IsHealthy)
            {
                healthy.Add((node, load));
            }
        }

        if (healthy.Count == 0)
        {
            var error = replicas.Length == 1
                ? $"Workspace '{workspace}' lives on {owner}, which is unavailable."
                : $"Workspace '{workspace}' lives on {string.Join(", ", replicas)}, which are all unavailable.";
            return new NodeSelection(workspace, null, owner, replicas, tier, Strategy, error);
        }

        if (healthy.Exists(h => !IsIn(avoid, h.Node)))
        {
            healthy.RemoveAll(h => IsIn(avoid, h.Node));
        }

        var overloaded = false;
        var chosen = Strategy switch
        {
            RoutingStrategy.LeastConnections => MinBy(healthy, h => h.Load.ActiveRequests),
            RoutingStrategy.ResourceBased => LowestUnderCap(healthy, _options.LoadBalancing.MaxLoadFactor, out overloaded),
            _ => healthy[0].Node,
        };

        return new NodeSelection(workspace, chosen, owner, replicas, tier, Strategy, null)
        {
            IsFailover = !string.Equals(chosen, owner, StringComparison.Ordinal) && !loadOf(owner).IsHealthy,
            Overloaded = overloaded,
        };
    }

    private AffinityRule? RuleFor(string workspace) =>
        _options.Affinity.Rules.TryGetValue(workspace, out var rule) ? rule : null;

    private static string LowestUnderCap(List<(string Node, NodeLoad Load)> healthy, double cap, out bool overloaded)
    {
        var under = healthy.FindAll(h => h.Load.LoadFactor < cap);
        overloaded = under.Count == 0;
        return MinBy(overloaded ? healthy : under, h => h.Load.LoadFactor);
    }

    // The first minimum in placement order, so ties never depend on anything but the ring.
    private static string MinBy<T>(List<(string Node, NodeLoad Load)> candidates, Func<(string Node, NodeLoad Load), T> key)
        where T : IComparable<T>
    {
        var best = candidates[0];
        for (var i = 1; i < candidates.Count; i++)
        {
            if (key(candidates[i]).CompareTo(key(best)) < 0)
            {
                best = candidates[i];
            }
        }

        return best.Node;
    }

    private static string? Find(IReadOnlyList<string> nodes, string id)
    {
        foreach (var node in nodes)
        {
            if (string.Equals(node, id, StringComparison.OrdinalIgnoreCase))
            {
                return node;
            }
        }

        return null;
    }

    private static bool IsIn(List<string> list, string node) => list.Contains(node, StringComparer.OrdinalIgnoreCase);
}
