namespace ContextLite.Benchmarks.Scale;

/// <summary>What the <c>scale</c> command runs: the corpus sizes, queries per size, the seed and the peer.</summary>
internal sealed record ScaleSettings(
    IReadOnlyList<int> Sizes,
    int Queries,
    int Warmup,
    int BatchSize,
    int Seed,
    int MaxTokens,
    int MaxDocuments,
    string? Python)
{
    public const int DefaultQueries = 200;
    public const int DefaultWarmup = 20;
    public const int DefaultBatchSize = 2_000;
    public const int DefaultSeed = 20250101;
    public const int TopK = 10;
}
