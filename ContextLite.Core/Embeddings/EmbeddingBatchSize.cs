namespace ContextLite.Embeddings;

/// <summary>
/// How many chunks the embedding worker takes next: the configured batch size for a model that needs time per
/// batch, more for an embedder that answers a whole batch almost at once.
/// </summary>
/// <remarks>
/// Each batch is one read and one write transaction with its own fsync (<c>synchronous=FULL</c>). For the
/// hashing embedder (microseconds a chunk) those round trips, not the embedding, were most of the pass: 528
/// transactions of 32 for the ingest benchmark's 16,904 chunks. Growing the batch while each answers within
/// <see cref="CheapBatch"/> brings that down to a handful; a model such as MiniLM (seconds a batch) never grows,
/// so its vectors keep appearing at its own pace, and one slow batch returns to the configured size.
/// </remarks>
internal static class EmbeddingBatchSize
{
    /// <summary>A batch embedded within this time is cheap enough to take a larger one next.</summary>
    public static readonly TimeSpan CheapBatch = TimeSpan.FromMilliseconds(20);

    /// <summary>The largest batch the worker grows to (about 2 MB of chunk text, 1.5 MB of 384-d vectors).</summary>
    public const int MaxBatch = 1024;

    private const int Growth = 4;

    /// <summary>The next batch size after <paramref name="received"/> chunks were embedded in <paramref name="took"/>.</summary>
    /// <param name="current">The size asked for last.</param>
    /// <param name="configured">The configured size (<c>embeddings.batch_size</c>).</param>
    /// <param name="received">Chunks the last batch held (fewer than asked: the queue is drained).</param>
    /// <param name="took">How long the embedder took for them.</param>
    public static int Next(int current, int configured, int received, TimeSpan took)
    {
        if (took > CheapBatch)
        {
            return configured;
        }

        return received < current ? current : Math.Max(configured, Math.Min(current * Growth, MaxBatch));
    }
}
