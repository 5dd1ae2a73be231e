using Microsoft.Extensions.Configuration;

namespace ContextLite.Cluster;

/// <summary>
/// The <c>cluster</c> section of <c>configs/cluster.yaml</c> (the seed's schema, snake_case keys). The same
/// options bind from YAML, <c>appsettings.json</c> and <c>CONTEXTLITE_*</c> environment variables.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "cluster";

    /// <summary>The workspace whose limits apply to workspaces without an entry of their own.</summary>
    public const string DefaultEntry = "default";

    /// <summary>True when this node is a member of a multi-node cluster.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; }

    /// <summary>This node's id; reported in <c>/health</c> and the <c>X-ContextLite-Node</c> header.</summary>
    [ConfigurationKeyName("node_id")]
    public string NodeId { get; set; } = "node-1";

    [ConfigurationKeyName("discovery")]
    public DiscoveryOptions Discovery { get; set; } = new();

    [ConfigurationKeyName("affinity")]
    public AffinityOptions Affinity { get; set; } = new();

    [ConfigurationKeyName("load_balancing")]
    public LoadBalancingOptions LoadBalancing { get; set; } = new();

    /// <summary>Per-workspace limits; the <c>default</c> entry applies to every other workspace.</summary>
    [ConfigurationKeyName("resource_limits")]
    public Dictionary<string, ResourceLimits> ResourceLimits { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The limits that apply to <paramref name="workspace"/>.</summary>
    public ResourceLimits LimitsFor(string workspace) =>
        ResourceLimits.TryGetValue(workspace, out var own) ? own
        : ResourceLimits.TryGetValue(DefaultEntry, out var fallback) ? fallback
        : new ResourceLimits();
}

/// <summary>How nodes find each other.</summary>
public sealed class DiscoveryOptions
{
    /// <summary><c>static</c> (the endpoint list) is the one method implemented.</summary>
    [ConfigurationKeyName("method")]
    public string Method { get; set; } = "static";

    /// <summary>The cluster's node endpoints, <c>host:port</c>.</summary>
    [ConfigurationKeyName("endpoints")]
    public List<string> Endpoints { get; set; } = [];
}

/// <summary>Workspace-to-node affinity.</summary>
public sealed class AffinityOptions
{
    [ConfigurationKeyName("workspace_routing")]
    public bool WorkspaceRouting { get; set; } = true;

    [ConfigurationKeyName("sticky_sessions")]
    public bool StickySessions { get; set; } = true;

    [ConfigurationKeyName("default_tier")]
    public string DefaultTier { get; set; } = "medium";

    /// <summary>Per-workspace rules.</summary>
    [ConfigurationKeyName("rules")]
    public Dictionary<string, AffinityRule> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Where one workspace should (not) be served.</summary>
public sealed class AffinityRule
{
    [ConfigurationKeyName("preferred_nodes")]
    public List<string> PreferredNodes { get; set; } = [];

    [ConfigurationKeyName("avoid_nodes")]
    public List<string> AvoidNodes { get; set; } = [];

    [ConfigurationKeyName("resource_tier")]
    public string? ResourceTier { get; set; }

    [ConfigurationKeyName("sticky_session")]
    public bool? StickySession { get; set; }
}

/// <summary>How the gateway spreads requests.</summary>
public sealed class LoadBalancingOptions
{
    /// <summary>The strategies the gateway knows.</summary>
    public static readonly IReadOnlyList<string> Strategies = ["workspace_hash", "least_connections", "resource_based"];

    [ConfigurationKeyName("strategy")]
    public string Strategy { get; set; } = "workspace_hash";

    /// <summary>Seconds between active health checks.</summary>
    [ConfigurationKeyName("health_check_interval")]
    public int HealthCheckInterval { get; set; } = 30;

    [ConfigurationKeyName("max_load_factor")]
    public double MaxLoadFactor { get; set; } = 0.85;

    [ConfigurationKeyName("enable_circuit_breaker")]
    public bool EnableCircuitBreaker { get; set; }
}

/// <summary>The limits of one workspace.</summary>
public sealed class ResourceLimits
{
    [ConfigurationKeyName("max_concurrent_requests")]
    public int MaxConcurrentRequests { get; set; } = 10;

    [ConfigurationKeyName("max_tokens_per_minute")]
    public int MaxTokensPerMinute { get; set; } = 100_000;

    [ConfigurationKeyName("max_documents_per_query")]
    public int MaxDocumentsPerQuery { get; set; } = 50;

    [ConfigurationKeyName("max_memory_mb")]
    public int MaxMemoryMb { get; set; } = 512;

    [ConfigurationKeyName("max_storage_mb")]
    public int MaxStorageMb { get; set; } = 10_240;

    /// <summary>1 (lowest) to 10 (highest).</summary>
    [ConfigurationKeyName("priority")]
    public int Priority { get; set; } = 5;
}
