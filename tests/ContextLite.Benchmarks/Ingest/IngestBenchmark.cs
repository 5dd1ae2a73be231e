using System.Globalization;
using System.Text;
using ContextLite.Benchmarks.Corpus;
using ContextLite.Benchmarks.Reporting;
using ContextLite.Clustering;
using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContextLite.Benchmarks.Ingest;

/// <summary>
/// Bulk ingest through <see cref="WorkspaceStore.UpsertAsync(IReadOnlyList{DocumentInput}, bool, CancellationToken)"/>
/// (non-atomic batches, default 512-token chunks), each run into a fresh data directory, followed by the
/// same corpus again to time the unchanged (no-op) path.
/// </summary>
/// <remarks>
/// <para>
/// Every run ingests text the process has not seen: run <c>r</c> uses its own corpus (seed + r - 1, so run 1's
/// is the stated seed), and the synthetic vocabulary is drawn from the seed, so the token counter's piece
/// cache starts cold for each run's identifiers, as it does for a new project's files.
/// </para>
/// <para>
/// Before them, one unreported run of the same size on another corpus (seed - 1) JITs the write path to its
/// final tier. It is still measured, and reported apart as the process's first pass: a node pays it once
/// after it starts. All corpora are generated before any timing.
/// </para>
/// <para>
/// With a dataset (<see cref="IngestSettings.Dataset"/>), every measured run ingests that collection: run 1 meets
/// its vocabulary for the first time, later runs do not. The warm-up stays synthetic.
/// </para>
/// </remarks>
internal sealed class IngestBenchmark(IngestSettings settings, TimeProvider time, TextWriter log)
{
    private static readonly WorkspaceId s_workspace = WorkspaceId.Parse("bench");

    /// <summary>The load averages when the measured runs started and ended.</summary>
    public (string Before, string After) Load { get; private set; } = ("not measured", "not measured");

    /// <summary>The first measured run's corpus (seed <see cref="IngestSettings.Seed"/>), available after <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<DocumentInput> Corpus { get; private set; } = [];

    /// <summary>The warm-up run: the process's first pass, with the JIT cold. Available after <see cref="RunAsync"/>.</summary>
    public IngestRun? FirstPass { get; private set; }

    public async Task<IReadOnlyList<IngestRun>> RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<DocumentInput>[] corpora;
        if (settings.Dataset is { } dataset)
        {
            log.WriteLine($"Reading {dataset}, generating a warm-up corpus of {settings.Documents:N0} documents (seed {settings.Seed - 1})...");
            var real = BeirCorpus.Load(dataset);
            corpora = [SyntheticCorpus.Generate(settings.Documents, settings.Seed - 1), .. Enumerable.Repeat(real, settings.Runs)];
        }
        else
        {
            log.WriteLine($"Generating {settings.Runs + 1} corpora of {settings.Documents:N0} documents (seeds {settings.Seed - 1}-{settings.Seed + settings.Runs - 1})...");
            corpora = Enumerable.Range(-1, settings.Runs + 1)
                .Select(offset => SyntheticCorpus.Generate(settings.Documents, settings.Seed + offset))
                .ToArray();
        }

        Corpus = corpora[1];

        log.WriteLine("Warming up (the process's first pass, reported apart)...");
        FirstPass = await MeasureAsync(Batches(corpora[0]), cancellationToken);
        log.WriteLine(Describe("First pass", FirstPass));

        var loadBefore = MachineInfo.LoadAverage();
        var runs = new List<IngestRun>(settings.Runs);
        for (var r = 1; r <= settings.Runs; r++)
        {
            var run = await MeasureAsync(Batches(corpora[r]), cancellationToken);
            runs.Add(run);
            log.WriteLine(Describe($"Run {r}/{settings.Runs}", run));
        }

        Load = (loadBefore, MachineInfo.LoadAverage());
        return runs;
    }

    private DocumentInput[][] Batches(IReadOnlyList<DocumentInput> corpus) => corpus.Chunk(settings.BatchSize).ToArray();

    private static string Describe(string name, IngestRun run) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: {run.Ingest.TotalSeconds:F2} s, {run.DocumentsPerSecond:F0} docs/s, {run.ChunksPerSecond:F0} chunks/s, {run.MegabytesPerSecond:F2} MB/s, {run.Chunks:N0} chunks, {run.BytesOnDiskPerChunk:F0} B/chunk on disk ({run.OpenBytesOnDiskPerChunk:F0} with the WAL); unchanged: {run.UnchangedDocumentsPerSecond:F0} docs/s; chunking alone: {run.ChunkingMegabytesPerSecond:F2} MB/s; hashing embedder after it: {run.EmbedChunksPerSecond:F0} chunks/s, ingest + embed {run.EmbeddedChunksPerSecond:F0} chunks/s, {run.ChunksPerCpuSecond:F0} chunks per CPU-second (ingest {run.IngestCpu.TotalSeconds:F2} s CPU, embed {(run.Cpu - run.IngestCpu).TotalSeconds:F2} s)");

    private async Task<IngestRun> MeasureAsync(IReadOnlyList<DocumentInput[]> batches, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "contextlite-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var bytes = batches.Sum(b => b.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Content)));
            string file;
            long chunks, tokens, open;
            TimeSpan ingest, unchanged, embed, ingestCpu, embedCpu;
            using (var catalog = new WorkspaceCatalog(
                Options.Create(new StorageOptions { DataDirectory = directory }),
                Options.Create(new ChunkingOptions()),
                TiktokenCounter.Cl100k,
                time))
            {
                var store = catalog.OpenOrCreate(s_workspace);
                file = store.FilePath;

                // Start each run from the same heap state, so one run does not pay for the previous run's garbage.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();

                var cpu = ProcessorTime();
                (chunks, ingest) = await IngestAsync(store, batches, UpsertStatus.Added, cancellationToken);
                ingestCpu = ProcessorTime() - cpu;
                open = store.BytesOnDisk;
                var stats = await store.GetStatsAsync(null, cancellationToken);
                if (stats.Chunks != chunks || stats.Documents != batches.Sum(b => b.Length))
                {
                    throw new InvalidOperationException(
                        $"The store holds {stats.Documents} documents and {stats.Chunks} chunks; the upserts reported {chunks} chunks.");
                }

                tokens = stats.Tokens;
                (_, unchanged) = await IngestAsync(store, batches, UpsertStatus.Unchanged, cancellationToken);
                cpu = ProcessorTime();
                embed = await EmbedAsync(catalog, store, chunks, cancellationToken);
                embedCpu = ProcessorTime() - cpu;
            }

            // Closing the last connection checkpoints the write-ahead log into the database file.
            var closed = FileSize(file) + FileSize(file + "-wal");
            var chunking = MeasureChunking(batches, chunks);
            return new IngestRun(batches.Sum(b => b.Length), bytes, chunks, tokens, open, closed, ingest, unchanged, chunking, embed, ingestCpu, ingestCpu + embedCpu);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private async Task<(long Chunks, TimeSpan Elapsed)> IngestAsync(
        WorkspaceStore store, IReadOnlyList<DocumentInput[]> batches, UpsertStatus expected, CancellationToken cancellationToken)
    {
        var chunks = 0L;
        var start = time.GetTimestamp();
        foreach (var batch in batches)
        {
            var results = await store.UpsertAsync(batch, atomic: false, cancellationToken);
            foreach (var result in results)
            {
                if (result.Status != expected)
                {
                    throw new InvalidOperationException(
                        $"'{result.Path}' was {result.Status} ({result.Error}); the benchmark expected {expected}.");
                }

                chunks += result.Chunks;
            }
        }

        return (chunks, time.GetElapsedTime(start));
    }

    // The node's EmbeddingWorker pass after an ingest, with the hashing embedder: its own loop (read the chunks
    // without a vector, embed them, store the vectors in one transaction per batch), on the default options.
    private async Task<TimeSpan> EmbedAsync(WorkspaceCatalog catalog, WorkspaceStore store, long expectedChunks, CancellationToken cancellationToken)
    {
        using var embedder = new HashingEmbeddingGenerator();
        var worker = new EmbeddingWorker(
            catalog,
            new WorkspaceVectors(),
            embedder,
            Options.Create(new EmbeddingOptions { Provider = "hashing" }),
            Options.Create(new ClusteringOptions { BuildOnNode = false }),
            NullLogger<EmbeddingWorker>.Instance,
            time);
        var start = time.GetTimestamp();
        await worker.EmbedPendingAsync(store, cancellationToken);
        var elapsed = time.GetElapsedTime(start);
        var (_, embedded) = store.EmbeddingProgress();
        return embedded == expectedChunks
            ? elapsed
            : throw new InvalidOperationException($"The hashing embedder stored {embedded} vectors; the store holds {expectedChunks} chunks.");
    }

    // The same CPU work the store does before it takes its write lock (split into chunks and count the
    // document's tokens in one pass), without SQLite: the gap to the ingest time is what storage and indexing cost.
    private TimeSpan MeasureChunking(IReadOnlyList<DocumentInput[]> batches, long expectedChunks)
    {
        var chunker = new Chunker(TiktokenCounter.Cl100k, new ChunkingOptions().MaxTokens);
        var chunks = 0L;
        var start = time.GetTimestamp();
        foreach (var batch in batches)
        {
            foreach (var document in batch)
            {
                chunks += chunker.SplitAndCount(document.Content).Chunks.Count;
            }
        }

        var elapsed = time.GetElapsedTime(start);
        return chunks == expectedChunks
            ? elapsed
            : throw new InvalidOperationException($"Chunking alone gave {chunks} chunks; the store reported {expectedChunks}.");
    }

    // The process's CPU time (all threads, the GC's included): on a shared machine it moves less than wall time.
    private static TimeSpan ProcessorTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static long FileSize(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: the OS temp cleaner gets anything still held open.
        }
    }
}
