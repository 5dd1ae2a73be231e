using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Clustering;

/// <summary>The IVF cluster index: when it is built and how it is probed.</summary>
public sealed class ClusteringOptions
{
    public const string Section = "clustering";

    /// <summary>Below this many vectors the vector stage is an exact scan and no clusters are built.</summary>
    [Range(1, int.MaxValue)]
    [ConfigurationKeyName("min_chunks")]
    public int MinChunks { get; set; } = 2000;

    /// <summary>The most clusters probed per query; 0 picks max(8, ⌈K/4⌉) with a fixed count, max(8, ⌈K/2⌉) with <see cref="ProbeGap"/>.</summary>
    [Range(0, 100_000)]
    [ConfigurationKeyName("nprobe")]
    public int NProbe { get; set; }

    /// <summary>
    /// Adaptive probing: stop at the first centroid (nearest first) whose similarity to the query is more than
    /// this × (best − mean centroid similarity) below the best one's. 0 probes the full <see cref="NProbe"/> every time.
    /// </summary>
    [Range(0.0, 100.0)]
    [ConfigurationKeyName("probe_gap")]
    public double ProbeGap { get; set; } = 0.75;

    /// <summary>
    /// Adaptive probing goes on past the gap (still nearest first, within the most probes) until the probed
    /// clusters hold at least this many vectors: small workspaces have small clusters, and a query's neighbours
    /// spread over more of them than the gap rule alone probes. 0 turns the floor off.
    /// </summary>
    [Range(0, int.MaxValue)]
    [ConfigurationKeyName("min_probe_vectors")]
    public int MinProbeVectors { get; set; } = 4096;

    /// <summary>Clusters to build; 0 means ⌈√N⌉.</summary>
    [Range(0, 1_000_000)]
    [ConfigurationKeyName("k")]
    public int K { get; set; }

    /// <summary>Seed of k-means (deterministic builds).</summary>
    [ConfigurationKeyName("seed")]
    public int Seed { get; set; } = 42;

    /// <summary>Rebuild when chunks changed by more than this fraction since the last build.</summary>
    [Range(0.0, 100.0)]
    [ConfigurationKeyName("rebuild_fraction")]
    public double RebuildFraction { get; set; } = 0.2;

    /// <summary>True when the node builds clusters itself (single-node mode); the indexer does it in a cluster.</summary>
    [ConfigurationKeyName("build_on_node")]
    public bool BuildOnNode { get; set; } = true;

    /// <summary>The nprobe to use with <paramref name="clusters"/> clusters.</summary>
    public int ProbesFor(int clusters) => clusters <= 0 ? 0 : Math.Min(clusters, NProbe > 0 ? NProbe : Math.Max(8, (clusters + 3) / 4));

    /// <summary>The most clusters an adaptive search (<see cref="ProbeGap"/> above 0) probes with <paramref name="clusters"/> clusters.</summary>
    public int MaxProbesFor(int clusters) => clusters <= 0 ? 0 : Math.Min(clusters, NProbe > 0 ? NProbe : Math.Max(8, (clusters + 1) / 2));
}
