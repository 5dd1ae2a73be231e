using System.ComponentModel.DataAnnotations;

namespace ContextLite.Node.Quotas;

/// <summary>
/// The <c>quotas</c> section: where quota state lives and how this node admits queries. The per-workspace limits
/// themselves are <c>cluster:resource_limits</c>.
/// </summary>
internal sealed class QuotaOptions
{
    public const string Section = "quotas";

    /// <summary>The Aspire connection string name that also configures Redis when <see cref="Redis"/> is empty.</summary>
    public const string ConnectionStringName = "cache";

    /// <summary>False turns every quota check off (limits are still reported).</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>StackExchange.Redis connection string; without one (nor <c>ConnectionStrings:cache</c>) quotas are per node.</summary>
    [ConfigurationKeyName("redis")]
    public string? Redis { get; set; }

    [ConfigurationKeyName("connect_timeout_ms")]
    [Range(50, 60_000)]
    public int ConnectTimeoutMs { get; set; } = 2000;

    /// <summary>How long one quota call may wait for Redis before the node falls back to local limits.</summary>
    [ConfigurationKeyName("operation_timeout_ms")]
    [Range(50, 60_000)]
    public int OperationTimeoutMs { get; set; } = 1000;

    /// <summary>Delay between reconnection attempts while Redis is unreachable.</summary>
    [ConfigurationKeyName("reconnect_interval_ms")]
    [Range(50, 60_000)]
    public int ReconnectIntervalMs { get; set; } = 1000;

    /// <summary>A concurrency lease outlives a node that died holding it by at most this long.</summary>
    [ConfigurationKeyName("lease_ttl_seconds")]
    [Range(1, 86_400)]
    public int LeaseTtlSeconds { get; set; } = 120;

    /// <summary>Queries this node runs at once across all workspaces; empty means twice the processor count.</summary>
    [ConfigurationKeyName("max_concurrent_queries")]
    [Range(1, 100_000)]
    public int? MaxConcurrentQueries { get; set; }

    /// <summary>How long a query waits for a node slot before it is refused.</summary>
    [ConfigurationKeyName("max_queue_wait_ms")]
    [Range(0, 600_000)]
    public int MaxQueueWaitMs { get; set; } = 5000;

    /// <summary>What one <c>/search</c> result costs from the token bucket (<c>k</c> × this; nothing is refunded).</summary>
    [ConfigurationKeyName("search_tokens_per_result")]
    [Range(0, 100_000)]
    public int SearchTokensPerResult { get; set; } = 50;

    [ConfigurationKeyName("key_prefix")]
    [Required]
    public string KeyPrefix { get; set; } = RedisQuotaStore.DefaultPrefix;

    public int EffectiveMaxConcurrentQueries => MaxConcurrentQueries ?? 2 * Environment.ProcessorCount;
}
