using System.ComponentModel.DataAnnotations;

namespace ContextLite.Node.Indexing;

/// <summary>
/// The <c>internal</c> section: the endpoints under <c>/internal</c> that the indexer calls. They answer only
/// requests carrying <see cref="ClusterKey"/> in <c>X-ContextLite-Cluster-Key</c>; without a configured key
/// they are closed (403). The AppHost generates the key and gives it to nodes and the indexer.
/// </summary>
internal sealed class InternalOptions
{
    public const string Section = "internal";

    public const string KeyHeader = "X-ContextLite-Cluster-Key";

    [ConfigurationKeyName("cluster_key")]
    public string? ClusterKey { get; set; }

    /// <summary>The most vectors one cluster push may carry.</summary>
    [ConfigurationKeyName("max_vectors")]
    [Range(1, 50_000_000)]
    public int MaxVectors { get; set; } = 5_000_000;

    /// <summary>Milliseconds between flushes of changed-workspace counts to Redis.</summary>
    [ConfigurationKeyName("dirty_flush_ms")]
    [Range(50, 600_000)]
    public int DirtyFlushMs { get; set; } = 1000;
}
