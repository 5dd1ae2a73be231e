namespace ContextLite.Benchmarks.Ingest;

/// <summary>What one <c>ingest</c> benchmark invocation measures.</summary>
/// <param name="Documents">Documents in the corpus (ingested once per run).</param>
/// <param name="Runs">Measured runs, each into a fresh data directory.</param>
/// <param name="BatchSize">Documents per <c>UpsertAsync</c> call.</param>
/// <param name="Seed">The corpus seed; the same seed gives the same corpus.</param>
/// <param name="Dataset">
/// A retrieval collection's folder (<c>corpus.jsonl[.gz]</c>) whose documents every measured run ingests instead of
/// a synthetic corpus; <paramref name="Documents"/> then sizes the synthetic warm-up only.
/// </param>
internal sealed record IngestSettings(int Documents, int Runs, int BatchSize, int Seed, string? Dataset = null)
{
    public const int DefaultDocuments = 5_000;
    public const int DefaultRuns = 3;
    public const int DefaultBatchSize = 100;
    public const int DefaultSeed = 20_250_101;
}
