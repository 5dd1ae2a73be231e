using System.ComponentModel.DataAnnotations;

namespace ContextLite.Gateway.Configuration;

/// <summary>
/// The gateway's own settings (section <c>gateway</c>); the cluster's shared settings (nodes, affinity,
/// strategy, health-check interval) come from <see cref="ContextLite.Cluster.ClusterOptions"/>.
/// </summary>
internal sealed class GatewayOptions
{
    public const string Section = "gateway";

    /// <summary>
    /// Aspire service-discovery names of the nodes (<c>node-1</c> resolved through <c>services:node-1:http:0</c>).
    /// When empty, the nodes are <c>cluster.discovery.endpoints</c>.
    /// </summary>
    [ConfigurationKeyName("nodes")]
    public List<string> Nodes { get; set; } = [];

    /// <summary>Static endpoint <c>i</c> (1-based) is node <c>{prefix}{i}</c>; match it to the nodes' <c>node_id</c>s.</summary>
    [ConfigurationKeyName("static_node_prefix")]
    public string StaticNodePrefix { get; set; } = "node-";

    /// <summary>Consecutive failed probes (or, with the circuit breaker, failed requests) before a node is taken out.</summary>
    [ConfigurationKeyName("unhealthy_threshold")]
    [Range(1, 100)]
    public int UnhealthyThreshold { get; set; } = 3;

    /// <summary>Consecutive good probes before a node that was taken out is used again.</summary>
    [ConfigurationKeyName("healthy_threshold")]
    [Range(1, 100)]
    public int HealthyThreshold { get; set; } = 2;

    /// <summary>R: the nodes that hold each workspace. 1 until replication exists.</summary>
    [ConfigurationKeyName("replication_factor")]
    [Range(1, 16)]
    public int ReplicationFactor { get; set; } = 1;

    /// <summary>Points per node on the hash ring.</summary>
    [ConfigurationKeyName("virtual_nodes")]
    [Range(1, 4096)]
    public int VirtualNodes { get; set; } = 128;

    /// <summary>Requests in flight to a node that count as a load factor of 1.</summary>
    /// <summary>Seconds a proxied request may go without activity before the gateway gives up on the node (default 30).</summary>
    [ConfigurationKeyName("request_timeout_seconds")]
    [Range(1, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    [ConfigurationKeyName("node_capacity")]
    [Range(1, 1_000_000)]
    public int NodeCapacity { get; set; } = 100;

    /// <summary>How long <c>/health</c> waits for each node's <c>/health</c>.</summary>
    [ConfigurationKeyName("node_health_timeout_ms")]
    [Range(50, 60_000)]
    public int NodeHealthTimeoutMs { get; set; } = 2_000;

    /// <summary>The largest JSON body read for <c>workspace_path</c>; larger bodies are forwarded unread.</summary>
    [ConfigurationKeyName("max_body_peek_bytes")]
    [Range(0, 64 * 1024 * 1024)]
    public int MaxBodyPeekBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// StackExchange.Redis connection string for sticky sessions and the leader key; when empty,
    /// <c>ConnectionStrings:cache</c> (Aspire); when both are empty sessions live in this process.
    /// </summary>
    [ConfigurationKeyName("redis")]
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key the cluster shares (<c>{prefix}session:{id}</c>, <c>{prefix}leader</c>).</summary>
    [ConfigurationKeyName("redis_key_prefix")]
    [Required]
    public string RedisKeyPrefix { get; set; } = "contextlite:";

    /// <summary>How long a session stays pinned after its last request (sliding).</summary>
    [ConfigurationKeyName("session_ttl_seconds")]
    [Range(1, 7 * 24 * 3600)]
    public int SessionTtlSeconds { get; set; } = 30 * 60;

    /// <summary>The cookie that names a session when the <c>X-Session-ID</c> header is absent.</summary>
    [ConfigurationKeyName("session_cookie")]
    [Required]
    public string SessionCookie { get; set; } = "contextlite-session";

    /// <summary>Sessions the in-process store keeps at most (used without Redis or while Redis is down).</summary>
    [ConfigurationKeyName("max_local_sessions")]
    [Range(1, 10_000_000)]
    public int MaxLocalSessions { get; set; } = 100_000;

    /// <summary>Milliseconds one Redis call may take before the gateway uses its in-process store.</summary>
    [ConfigurationKeyName("redis_timeout_ms")]
    [Range(50, 60_000)]
    public int RedisTimeoutMs { get; set; } = 500;
}
