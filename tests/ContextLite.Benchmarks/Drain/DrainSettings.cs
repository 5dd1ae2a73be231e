namespace ContextLite.Benchmarks.Drain;

/// <summary>What one <c>drain</c> benchmark invocation measures.</summary>
/// <param name="Documents">Documents of the synthetic corpus ingested without vectors, then embedded by the worker.</param>
/// <param name="BatchSize">Documents per <c>UpsertAsync</c> call.</param>
/// <param name="QueriesAfter">Queries of the same loop after the drain, for comparison.</param>
/// <param name="Seed">The corpus and query seed; the same seed gives the same documents and queries.</param>
/// <param name="Timeout">The longest the drain may take before the run is abandoned.</param>
internal sealed record DrainSettings(int Documents, int BatchSize, int QueriesAfter, int Seed, TimeSpan Timeout)
{
    // ≈ 3.4 chunks a document: ≈ 1,000 chunks, which MiniLM on two loaded cores (≈ 6 chunks/s at load 11) embeds in about three minutes.
    public const int DefaultDocuments = 300;
    public const int DefaultBatchSize = 100;
    public const int DefaultQueriesAfter = 400;
    public const int DefaultSeed = 20_250_101;
    public const int DefaultTimeoutSeconds = 900;
}
