using System.ComponentModel.DataAnnotations;
using ContextLite.Cluster;

namespace ContextLite.Node.Replication;

/// <summary>
/// The <c>replication</c> section: how many nodes hold each workspace and how they keep in step. Active when
/// <see cref="Factor"/> is above 1, <see cref="Peers"/> names the other nodes and Redis is configured (it holds
/// each workspace's primary and epoch); otherwise the node keeps every workspace alone, as before.
/// </summary>
internal sealed class ReplicationOptions
{
    public const string Section = "replication";

    /// <summary>R: the nodes that hold each workspace (the first R of its placement on the ring). 1 = no replication.</summary>
    [ConfigurationKeyName("factor")]
    [Range(1, 16)]
    public int Factor { get; set; } = 1;

    /// <summary>The other nodes: node id → base URL (<c>http://node-2</c> resolves through service discovery under Aspire).</summary>
    [ConfigurationKeyName("peers")]
    public Dictionary<string, string> Peers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Copies a write waits for before it is acknowledged, the primary's included; fewer when fewer replicas are live.</summary>
    [ConfigurationKeyName("write_consistency")]
    [Range(1, 16)]
    public int WriteConsistency { get; set; } = 2;

    /// <summary>How long a write waits for its replica copies before it is acknowledged with fewer (reported).</summary>
    [ConfigurationKeyName("ack_timeout_ms")]
    [Range(10, 120_000)]
    public int AckTimeoutMs { get; set; } = 5000;

    /// <summary>
    /// A primary that has not answered a replica for this long, and has left the membership in Redis (three missed
    /// <c>membership.heartbeat_seconds</c>), is replaced by a caught-up replica.
    /// </summary>
    [ConfigurationKeyName("failover_timeout_ms")]
    [Range(200, 600_000)]
    public int FailoverTimeoutMs { get; set; } = 5000;

    /// <summary>How long a pull waits on the primary for a change before it answers empty (long poll).</summary>
    [ConfigurationKeyName("poll_wait_ms")]
    [Range(0, 8000)]
    public int PollWaitMs { get; set; } = 1000;

    /// <summary>Changes per workspace per pull.</summary>
    [ConfigurationKeyName("batch_items")]
    [Range(1, 100_000)]
    public int BatchItems { get; set; } = 256;

    /// <summary>Bytes of content and vectors per pull (all workspaces together), at least one change.</summary>
    [ConfigurationKeyName("batch_bytes")]
    [Range(1024, 1L << 30)]
    public long BatchBytes { get; set; } = 4L << 20;

    /// <summary>Points per node on the ring: must equal the gateway's <c>gateway:virtual_nodes</c>.</summary>
    [ConfigurationKeyName("virtual_nodes")]
    [Range(1, 4096)]
    public int VirtualNodes { get; set; } = HashRing.DefaultVirtualNodes;
}
