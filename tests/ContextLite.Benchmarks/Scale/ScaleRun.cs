namespace ContextLite.Benchmarks.Scale;

/// <summary>Everything measured at one corpus size.</summary>
internal sealed record ScaleRun(
    int Size,
    long Chunks,
    double GenerateSeconds,
    double IngestSeconds,
    double ChunksPerSecond,
    long DiskBytes,
    double LoadSeconds,
    long IndexBytes,
    long RssBeforeLoad,
    long RssAfterLoad,
    long RssAfterClusters,
    double ClusterSeconds,
    int K,
    int NProbe,
    int Queries,
    double AssembleCpuMilliseconds,
    Percentiles Assemble,
    Percentiles Search,
    IReadOnlyDictionary<string, Percentiles> Stages,
    IReadOnlyDictionary<string, int> Routes,
    double ExactMilliseconds,
    IReadOnlyList<ProbeRow> Probes,
    FaissResult? Faiss,
    IReadOnlyList<AdaptiveProbeRow>? Adaptive = null)
{
    /// <summary>
    /// The vector stage as the engine runs it: the adaptive row at the engine's probe gap (its mean probe count as
    /// nprobe) when there is one, else the fixed row of the engine's nprobe.
    /// </summary>
    public ProbeRow Product =>
        Adaptive?.FirstOrDefault(a => a.IsEngine) is { } engine
            ? new ProbeRow((int)Math.Round(engine.MeanProbes), engine.Recall, engine.Milliseconds)
            : Probes.First(p => p.NProbe == NProbe);
}

/// <summary>p50, p95, p99 and mean of a latency sample, in milliseconds.</summary>
internal sealed record Percentiles(double P50, double P95, double P99, double Mean)
{
    public static Percentiles Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? new Percentiles(0, 0, 0, 0)
            : new Percentiles(Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted.Average());
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Rank(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>The IVF search alone at one nprobe: recall@10 against the exact scan and the time per query.</summary>
internal sealed record ProbeRow(int NProbe, double Recall, double Milliseconds);

/// <summary>The IVF search alone with an adaptive probe count: at most <paramref name="MaxProbes"/>, cut at <paramref name="Gap"/>.</summary>
internal sealed record AdaptiveProbeRow(double Gap, int MaxProbes, double MeanProbes, double Recall, double Milliseconds, int MinVectors = 0)
{
    /// <summary>True for the row probed as the engine probes by default (gap and floor of <see cref="ContextLite.Clustering.ClusteringOptions"/>).</summary>
    public bool IsEngine => Gap == new ContextLite.Clustering.ClusteringOptions().ProbeGap && MinVectors == new ContextLite.Clustering.ClusteringOptions().MinProbeVectors;
}

/// <summary>FAISS IVF-Flat on the same vectors, lists and queries, single-threaded.</summary>
internal sealed record FaissResult(string Version, double AddSeconds, IReadOnlyList<ProbeRow> Probes);
