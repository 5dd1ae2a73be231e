using System.Globalization;
using ContextLite.Workspaces;

namespace ContextLite.Cluster;

/// <summary>Every problem in a <see cref="ClusterOptions"/>, each naming the key to fix.</summary>
public static class ClusterOptionsValidator
{
    /// <summary>Returns the problems; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(ClusterOptions options) => Validate(options, knownNodes: null);

    /// <summary>
    /// Returns the problems, including affinity rules that name a node outside <paramref name="knownNodes"/>.
    /// </summary>
    /// <param name="options">The cluster section.</param>
    /// <param name="knownNodes">
    /// The cluster's node ids (<c>cluster.nodes</c>); null means <see cref="ImpliedNodes"/>, and no check at all
    /// when that is empty too (a single node without endpoints knows no other names).
    /// </param>
    public static IReadOnlyList<string> Validate(ClusterOptions options, IReadOnlyCollection<string>? knownNodes)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!WorkspaceId.TryCreate(options.NodeId, out _, out var nodeError))
        {
            problems.Add($"cluster.node_id '{options.NodeId}': {nodeError.Replace("Workspace id", "Node id", StringComparison.Ordinal)}");
        }

        if (!string.Equals(options.Discovery.Method, "static", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"cluster.discovery.method '{options.Discovery.Method}' is not supported; use 'static'.");
        }

        foreach (var endpoint in options.Discovery.Endpoints)
        {
            if (!TryParseEndpoint(endpoint))
            {
                problems.Add($"cluster.discovery.endpoints: '{endpoint}' is not host:port (port 1-65535).");
            }
        }

        var lb = options.LoadBalancing;
        if (!LoadBalancingOptions.Strategies.Contains(lb.Strategy))
        {
            problems.Add($"cluster.load_balancing.strategy '{lb.Strategy}' is unknown; use one of {string.Join(", ", LoadBalancingOptions.Strategies)}.");
        }

        if (lb.HealthCheckInterval is < 1 or > 3600)
        {
            problems.Add($"cluster.load_balancing.health_check_interval {lb.HealthCheckInterval} must be 1-3600 seconds.");
        }

        if (lb.MaxLoadFactor is <= 0 or > 1)
        {
            problems.Add($"cluster.load_balancing.max_load_factor {lb.MaxLoadFactor.ToString(CultureInfo.InvariantCulture)} must be in (0, 1].");
        }

        foreach (var (workspace, rule) in options.Affinity.Rules)
        {
            CheckWorkspaceKey(problems, "cluster.affinity.rules", workspace);
            CheckRuleNodes(problems, workspace, rule, knownNodes ?? ImpliedNodes(options));
            var both = rule.PreferredNodes.Intersect(rule.AvoidNodes, StringComparer.OrdinalIgnoreCase).ToList();
            if (both.Count > 0)
            {
                problems.Add($"cluster.affinity.rules.{workspace}: node(s) {string.Join(", ", both)} are both preferred and avoided.");
            }
        }

        foreach (var (workspace, limits) in options.ResourceLimits)
        {
            var at = $"cluster.resource_limits.{workspace}";
            CheckWorkspaceKey(problems, "cluster.resource_limits", workspace);
            CheckRange(problems, at, "max_concurrent_requests", limits.MaxConcurrentRequests, 1, 100_000);
            CheckRange(problems, at, "max_tokens_per_minute", limits.MaxTokensPerMinute, 1, int.MaxValue);
            CheckRange(problems, at, "max_documents_per_query", limits.MaxDocumentsPerQuery, 1, 10_000);
            CheckRange(problems, at, "max_memory_mb", limits.MaxMemoryMb, 1, 1_048_576);
            CheckRange(problems, at, "max_storage_mb", limits.MaxStorageMb, 1, int.MaxValue);
            CheckRange(problems, at, "priority", limits.Priority, 1, 10);
        }

        return problems;
    }

    /// <summary>
    /// The node ids a cluster without a <c>cluster.nodes</c> list has: static endpoint <c>i</c> (1-based) is
    /// <c>node-i</c> (the gateway's default <c>static_node_prefix</c>), plus this node's <c>cluster.node_id</c>;
    /// empty when there are no endpoints.
    /// </summary>
    public static IReadOnlyCollection<string> ImpliedNodes(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Discovery.Endpoints.Count == 0)
        {
            return [];
        }

        var nodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { options.NodeId };
        for (var i = 1; i <= options.Discovery.Endpoints.Count; i++)
        {
            nodes.Add("node-" + i.ToString(CultureInfo.InvariantCulture));
        }

        return nodes;
    }

    private static void CheckRuleNodes(List<string> problems, string workspace, AffinityRule rule, IReadOnlyCollection<string> known)
    {
        if (known.Count == 0)
        {
            return;
        }

        var set = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        CheckNodeNames(problems, $"cluster.affinity.rules.{workspace}.preferred_nodes", rule.PreferredNodes, set);
        CheckNodeNames(problems, $"cluster.affinity.rules.{workspace}.avoid_nodes", rule.AvoidNodes, set);
    }

    private static void CheckNodeNames(List<string> problems, string at, List<string> named, HashSet<string> known)
    {
        var unknown = named.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"{at}: {string.Join(", ", unknown)} is not a node of this cluster (nodes: {string.Join(", ", known.Order(StringComparer.Ordinal))}).");
        }
    }

    private static void CheckWorkspaceKey(List<string> problems, string at, string workspace)
    {
        if (!WorkspaceId.TryCreate(workspace, out _, out var error))
        {
            problems.Add($"{at}: key '{workspace}' is not a valid workspace id: {error}");
        }
    }

    private static void CheckRange(List<string> problems, string at, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{at}.{key} is {value}; it must be between {min} and {max}.");
        }
    }

    private static bool TryParseEndpoint(string endpoint)
    {
        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsDefaultPort && uri.Port is > 0 and <= 65535
            && uri.AbsolutePath == "/";
    }
}
