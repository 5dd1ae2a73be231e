namespace ContextLite.Benchmarks.Scale;

/// <summary>
/// What the <c>scale</c> command runs: the corpus sizes, queries per size, the seed and the peer. With
/// <see cref="DataDirectory"/> each size's workspace is kept there and reused by the next run (no ingest), so the
/// query stages can be profiled again without paying for the ingest.
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
    string? DataDirectory = null)
{
    public const int DefaultQueries = 200;
    public const int DefaultWarmup = 20;
    public const int DefaultBatchSize = 2_000;
    public const int DefaultSeed = 20250101;
    public const int TopK = 10;
}
