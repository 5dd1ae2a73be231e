namespace ContextLite.Benchmarks.Ingest;

/// <summary>The measurements of one run: a first ingest into an empty workspace, then the same corpus again.</summary>
/// <param name="Documents">Documents written.</param>
/// <param name="Bytes">UTF-8 bytes of content written.</param>
/// <param name="Chunks">Chunks stored.</param>
/// <param name="Tokens">cl100k_base tokens stored (the sum over documents).</param>
/// <param name="OpenBytesOnDisk">The workspace database plus its write-ahead log right after the first ingest.</param>
/// <param name="BytesOnDisk">The workspace database after it is closed (the write-ahead log checkpointed into it).</param>
/// <param name="Ingest">Wall time of the first ingest.</param>
/// <param name="Unchanged">Wall time of re-sending the same corpus (every item unchanged).</param>
/// <param name="Chunking">Time to chunk and count the corpus alone, without storage: the CPU floor of an ingest.</param>
/// <param name="Embed">Time to embed every chunk with the hashing embedder and store the vectors, as the embedding worker does after the ingest.</param>
/// <param name="IngestCpu">The process's CPU time over the ingest alone (all threads).</param>
/// <param name="Cpu">The process's CPU time over the ingest and the embedding pass (all threads).</param>
internal sealed record IngestRun(
    int Documents,
    long Bytes,
    long Chunks,
    long Tokens,
    long OpenBytesOnDisk,
    long BytesOnDisk,
    TimeSpan Ingest,
    TimeSpan Unchanged,
    TimeSpan Chunking,
    TimeSpan Embed,
    TimeSpan IngestCpu,
    TimeSpan Cpu)
{
    /// <summary>Chunks per CPU-second of the ingest and the embedding pass together: what the rate would be with a core to itself.</summary>
    public double ChunksPerCpuSecond => Chunks / Cpu.TotalSeconds;

    /// <summary>Chunks per second of the ingest and the hashing embedder's pass together.</summary>
    public double EmbeddedChunksPerSecond => Chunks / (Ingest + Embed).TotalSeconds;

    /// <summary>Chunks per second of the hashing embedder's pass alone (embed and store the vectors).</summary>
    public double EmbedChunksPerSecond => Chunks / Embed.TotalSeconds;

    public double DocumentsPerSecond => Documents / Ingest.TotalSeconds;

    public double ChunksPerSecond => Chunks / Ingest.TotalSeconds;

    public double MegabytesPerSecond => Bytes / 1e6 / Ingest.TotalSeconds;

    public double BytesOnDiskPerChunk => (double)BytesOnDisk / Chunks;

    public double OpenBytesOnDiskPerChunk => (double)OpenBytesOnDisk / Chunks;

    public double UnchangedDocumentsPerSecond => Documents / Unchanged.TotalSeconds;

    public double ChunkingMegabytesPerSecond => Bytes / 1e6 / Chunking.TotalSeconds;
}
