namespace ContextLite.Benchmarks.Scale;

/// <summary>
/// What the <c>scale</c> command runs: the corpus sizes, queries per size, the seed and the peer. With
/// <see cref="DataDirectory"/> each size's workspace is kept there and reused by the next run (no ingest), so the
/// query stages can be profiled again without paying for the ingest. With <see cref="WritesEvery"/> the measured
/// queries are run once more with a document written before every n-th (the cost of common words met again after a
/// write, which keeps no lexical hits from before it).
/// </summary>
internal sealed record ScaleSettings(
    IReadOnlyList<int> Sizes,
    int Queries,
    int Warmup,
    int BatchSize,
    int Seed,
    int MaxTokens,
    int MaxDocuments,
    string? Python,
    string? DataDirectory = null,
    int WritesEvery = 0)
{
    public const int DefaultQueries = 200;
    /// <summary>
    /// Distinct queries run (assemble and search) before measuring, never measured: a node serving for a while has
    /// the database pages it reads mapped, its common terms' counts cached and its final JIT code. With 20 the
    /// 10K p50 measured the cold start instead (2.7 ms against 1.7 ms after 1,000; docs/benchmarks.md).
    /// </summary>
    public const int DefaultWarmup = 1_000;
    public const int DefaultBatchSize = 2_000;
    public const int DefaultSeed = 20250101;
    public const int TopK = 10;
}
