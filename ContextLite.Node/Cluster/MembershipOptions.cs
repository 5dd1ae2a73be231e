using System.ComponentModel.DataAnnotations;

namespace ContextLite.Node.Cluster;

/// <summary>
/// The <c>membership</c> section: how the node announces itself in Redis and contends for the cluster lease.
/// Redis is <c>membership:redis</c>, else <c>quotas:redis</c>, else <c>ConnectionStrings:cache</c> (Aspire);
/// without any, the node is a cluster of one and its own leader.
/// </summary>
internal sealed class MembershipOptions
{
    public const string Section = "membership";

    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("redis")]
    public string? Redis { get; set; }

    /// <summary>Seconds between heartbeats; a member (and the lease) expires after three missed ones.</summary>
    [ConfigurationKeyName("heartbeat_seconds")]
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Prefix of the shared keys <c>{prefix}members</c> and <c>{prefix}leader</c>.</summary>
    [ConfigurationKeyName("key_prefix")]
    [Required]
    public string KeyPrefix { get; set; } = "contextlite:";

    [ConfigurationKeyName("operation_timeout_ms")]
    [Range(50, 60_000)]
    public int OperationTimeoutMs { get; set; } = 1000;

    /// <summary>How long a member entry and the leader lease live without renewal.</summary>
    public TimeSpan Ttl => TimeSpan.FromSeconds(HeartbeatSeconds * 3);
}
