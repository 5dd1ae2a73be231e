namespace ContextLite.Benchmarks.Drain;

/// <summary>What one <c>drain</c> run measured.</summary>
/// <param name="Documents">Documents ingested.</param>
/// <param name="Chunks">Chunks stored (and embedded by the worker).</param>
/// <param name="Tokens">cl100k_base tokens stored.</param>
/// <param name="Ingest">Wall time of the SQLite ingest (no vectors).</param>
/// <param name="Embedded">From the worker's start until every chunk had a vector in the workspace's index.</param>
/// <param name="Drained">From the worker's start until it was idle with every chunk embedded (includes a k-means build, if one ran).</param>
/// <param name="DrainCpu">CPU time of the whole process over <paramref name="Drained"/>: the worker's and the query loop's.</param>
/// <param name="AfterWall">Wall time of the query loop after the drain.</param>
/// <param name="AfterCpu">CPU time of the process over <paramref name="AfterWall"/> (the query loop alone).</param>
/// <param name="Clusters">IVF clusters the worker built after the drain (0 below clustering.min_chunks).</param>
/// <param name="Lanes">MiniLM sessions the generator embeds with in parallel.</param>
/// <param name="DistinctQueries">Distinct query texts the loop cycles through.</param>
/// <param name="Queries">Every query of the loop, during and after the drain.</param>
internal sealed record DrainResult(
    int Documents,
    long Chunks,
    long Tokens,
    TimeSpan Ingest,
    TimeSpan Embedded,
    TimeSpan Drained,
    TimeSpan DrainCpu,
    TimeSpan AfterWall,
    TimeSpan AfterCpu,
    int Clusters,
    int Lanes,
    int DistinctQueries,
    IReadOnlyList<DrainQuery> Queries)
{
    public double IngestChunksPerSecond => Chunks / Ingest.TotalSeconds;

    public double IngestDocumentsPerSecond => Documents / Ingest.TotalSeconds;

    /// <summary>MiniLM embedding rate until the last chunk had its vector.</summary>
    public double EmbedChunksPerSecond => Chunks / Embedded.TotalSeconds;

    /// <summary>Chunks per second over the whole drain, until the worker was idle.</summary>
    public double DrainChunksPerSecond => Chunks / Drained.TotalSeconds;

    /// <summary>Chunks per CPU-second of the whole process during the drain, the concurrent queries' CPU included.</summary>
    public double ChunksPerProcessCpuSecond => Chunks / DrainCpu.TotalSeconds;

    /// <summary>
    /// Chunks per CPU-second of the embedding alone, estimated by charging each query during the drain what a query
    /// cost after it (<see cref="AfterCpu"/> per query); null when that leaves no CPU time to the worker.
    /// </summary>
    public double? ChunksPerEmbeddingCpuSecond
    {
        get
        {
            var after = Queries.Count(q => q.Phase == DrainPhase.AfterDrain);
            var during = Queries.Count - after;
            var queryCpu = after == 0 ? 0 : AfterCpu.TotalSeconds / after * during;
            var embeddingCpu = DrainCpu.TotalSeconds - queryCpu;
            return embeddingCpu > 0 ? Chunks / embeddingCpu : null;
        }
    }

    /// <summary>Cores kept busy on average during the drain.</summary>
    public double BusyCores => DrainCpu.TotalSeconds / Drained.TotalSeconds;
}
