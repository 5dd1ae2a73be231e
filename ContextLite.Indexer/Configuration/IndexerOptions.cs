using System.ComponentModel.DataAnnotations;
using ContextLite.Cluster;
using ContextLite.Clustering;

namespace ContextLite.Indexer.Configuration;

/// <summary>
/// The <c>indexer</c> section: where the queue and the lease are (Redis), how nodes are reached, when a
/// workspace is stale and how k-means runs. Redis is <c>indexer:redis</c>, else <c>ConnectionStrings:cache</c>.
/// </summary>
internal sealed class IndexerOptions
{
    public const string Section = "indexer";

    [ConfigurationKeyName("redis")]
    public string? Redis { get; set; }

    /// <summary>This replica's name in the lease; default <c>indexer-{host}-{pid}</c>.</summary>
    [ConfigurationKeyName("instance_id")]
    public string? InstanceId { get; set; }

    /// <summary>Prefix of the shared keys (the nodes' <c>membership:key_prefix</c>).</summary>
    [ConfigurationKeyName("key_prefix")]
    [Required]
    public string KeyPrefix { get; set; } = IndexQueue.DefaultPrefix;

    /// <summary>The cluster key the nodes' internal endpoints require.</summary>
    [ConfigurationKeyName("cluster_key")]
    [Required(ErrorMessage = "indexer:cluster_key is required: the nodes' internal endpoints refuse requests without it.")]
    public string? ClusterKey { get; set; }

    /// <summary>Node id → base URL; a node not listed is reached at <c>http://{node id}</c> (Aspire service discovery).</summary>
    [ConfigurationKeyName("nodes")]
    public Dictionary<string, string> Nodes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Seconds between lease heartbeats; the lease expires after three missed ones.</summary>
    [ConfigurationKeyName("heartbeat_seconds")]
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Seconds between scans of the queue when nothing was stale.</summary>
    [ConfigurationKeyName("poll_seconds")]
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>Pause after each rebuild, so that a queue of stale workspaces never keeps a node's CPU busy back to back.</summary>
    [ConfigurationKeyName("pause_between_rebuilds_ms")]
    [Range(0, 3_600_000)]
    public int PauseBetweenRebuildsMs { get; set; } = 1000;

    /// <summary>How long a workspace whose rebuild failed is left alone.</summary>
    [ConfigurationKeyName("retry_after_failure_seconds")]
    [Range(0, 86_400)]
    public int RetryAfterFailureSeconds { get; set; } = 30;

    /// <summary>No clusters are built below this many vectors (the nodes' <c>clustering:min_chunks</c>).</summary>
    [ConfigurationKeyName("min_chunks")]
    [Range(1, int.MaxValue)]
    public int MinChunks { get; set; } = 2000;

    /// <summary>Rebuild when more than this fraction of the vectors changed since the last build.</summary>
    [ConfigurationKeyName("rebuild_fraction")]
    [Range(0.0, 100.0)]
    public double RebuildFraction { get; set; } = 0.2;

    /// <summary>Clusters to build; 0 means ⌈√N⌉.</summary>
    [ConfigurationKeyName("k")]
    [Range(0, 1_000_000)]
    public int K { get; set; }

    [ConfigurationKeyName("seed")]
    public int Seed { get; set; } = 42;

    [ConfigurationKeyName("max_iterations")]
    [Range(1, 10_000)]
    public int MaxIterations { get; set; } = 25;

    /// <summary>Above this many vectors k-means runs mini-batch.</summary>
    [ConfigurationKeyName("mini_batch_threshold")]
    [Range(0, int.MaxValue)]
    public int MiniBatchThreshold { get; set; } = 50_000;

    [ConfigurationKeyName("mini_batch_size")]
    [Range(1, 1_000_000)]
    public int MiniBatchSize { get; set; } = 4096;

    /// <summary>The most vectors pulled for one workspace (bounds the indexer's memory: N × dim × 4 bytes).</summary>
    [ConfigurationKeyName("max_vectors")]
    [Range(1, 50_000_000)]
    public int MaxVectors { get; set; } = 5_000_000;

    [ConfigurationKeyName("operation_timeout_ms")]
    [Range(50, 60_000)]
    public int OperationTimeoutMs { get; set; } = 1000;

    public TimeSpan LeaseTtl => TimeSpan.FromSeconds(HeartbeatSeconds * 3);

    public KMeansOptions KMeans => new(K, Seed, MaxIterations, MiniBatchThreshold: MiniBatchThreshold, MiniBatchSize: MiniBatchSize);

    /// <summary>The base URL of <paramref name="node"/>.</summary>
    public Uri NodeAddress(string node) =>
        new(Nodes.TryGetValue(node, out var url) && !string.IsNullOrWhiteSpace(url) ? url : $"http://{node}");
}
