using System.Diagnostics;
using System.Globalization;
using ContextLite.Benchmarks.Corpus;
using ContextLite.Benchmarks.Reporting;
using ContextLite.Clustering;
using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.Selection;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContextLite.Benchmarks.Drain;

/// <summary>
/// Ingests the synthetic corpus without vectors, then lets the node's background queue
/// (<see cref="EmbeddingWorker"/> with <see cref="MiniLmEmbeddingGenerator"/>) embed every chunk while one client
/// queries the same workspace back to back, alternating <see cref="ContextEngine.AssembleAsync"/> and
/// <see cref="ContextEngine.RetrieveAsync"/>; the same loop then runs on after the drain for comparison.
/// </summary>
/// <remarks>
/// Wired as the node wires it: one generator shared by the worker (batches of embedding.batch_size, spread over the
/// generator's session lanes) and the engine (query embeddings), so queries compete with the drain for the same
/// sessions and cores. The model's sessions and the query path are warmed up before anything is timed.
/// </remarks>
internal sealed class DrainBenchmark(DrainSettings settings, TextWriter log)
{
    private const int DistinctQueries = 200;
    private const int WarmUpQueries = 20;
    private const int TopChunks = 10;
    private static readonly WorkspaceId s_workspace = WorkspaceId.Parse("drain");

    private long _embedded;
    private long _chunks = 1;
    private int _drained;

    /// <summary>The load averages when the run started and ended.</summary>
    public (string Before, string After) Load { get; private set; } = ("not measured", "not measured");

    public async Task<DrainResult> RunAsync(CancellationToken cancellationToken)
    {
        log.WriteLine($"Generating {settings.Documents:N0} documents (seed {settings.Seed})...");
        var corpus = SyntheticCorpus.Generate(settings.Documents, settings.Seed);
        var queries = DrainQueries.Generate(corpus, DistinctQueries, settings.Seed);
        var directory = Path.Combine(Path.GetTempPath(), "contextlite-bench", Guid.NewGuid().ToString("N"));
        var loadBefore = MachineInfo.LoadAverage();
        try
        {
            using var catalog = new WorkspaceCatalog(
                Options.Create(new StorageOptions { DataDirectory = directory }),
                Options.Create(new ChunkingOptions()),
                TiktokenCounter.Cl100k,
                TimeProvider.System);
            var store = catalog.OpenOrCreate(s_workspace);

            var (chunks, ingest) = await IngestAsync(store, corpus, cancellationToken);
            var tokens = (await store.GetStatsAsync(null, cancellationToken)).Tokens;
            _chunks = chunks;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ingested {corpus.Count:N0} documents, {chunks:N0} chunks in {ingest.TotalSeconds:F2} s ({chunks / ingest.TotalSeconds:F0} chunks/s), no vectors."));

            using var generator = new MiniLmEmbeddingGenerator();
            var clustering = Options.Create(new ClusteringOptions());
            var vectors = new WorkspaceVectors();
            var engine = new ContextEngine(vectors, generator, Options.Create(new SearchOptions()), clustering, Options.Create(new SelectionOptions()));
            var worker = new EmbeddingWorker(catalog, vectors, generator, Options.Create(new EmbeddingOptions()), clustering, NullLogger<EmbeddingWorker>.Instance);

            log.WriteLine($"Warming up {generator.SessionPoolSize} MiniLM sessions and the query path...");
            await generator.GenerateAsync(Enumerable.Range(0, generator.SessionPoolSize).Select(i => queries[i]), cancellationToken: cancellationToken);
            await QueryLoopAsync(engine, store, queries, Stopwatch.StartNew(), [], WarmUpQueries, int.MaxValue, cancellationToken);

            log.WriteLine($"Draining the embedding queue ({chunks:N0} chunks) while querying...");
            var recorded = new List<DrainQuery>();
            using var stopWorker = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var clock = Stopwatch.StartNew();
            var cpu = CpuTime();
            worker.Notify(store.Id);
            var workerTask = Task.Run(() => worker.RunAsync(stopWorker.Token), CancellationToken.None);
            var loop = Task.Run(
                () => QueryLoopAsync(engine, store, queries, clock, recorded, int.MaxValue, settings.QueriesAfter, cancellationToken),
                CancellationToken.None);

            var (embeddedAt, drainedAt) = await MonitorAsync(worker, workerTask, vectors, store, clock, loop, cancellationToken);
            var drainCpu = CpuTime() - cpu;
            cpu = CpuTime();
            var afterStart = clock.Elapsed;
            Volatile.Write(ref _drained, 1);
            await loop;
            var afterCpu = CpuTime() - cpu;
            var afterWall = clock.Elapsed - afterStart;
            await stopWorker.CancelAsync();
            try
            {
                await workerTask;
            }
            catch (OperationCanceledException)
            {
                // The worker runs until cancelled; the drain is over.
            }

            Load = (loadBefore, MachineInfo.LoadAverage());
            return new DrainResult(
                corpus.Count, chunks, tokens, ingest, embeddedAt, drainedAt, drainCpu, afterWall, afterCpu,
                vectors.Get(store)?.ClusterCount ?? 0, generator.SessionPoolSize, queries.Count, recorded);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private async Task<(long Chunks, TimeSpan Elapsed)> IngestAsync(WorkspaceStore store, IReadOnlyList<DocumentInput> corpus, CancellationToken cancellationToken)
    {
        var chunks = 0L;
        var start = Stopwatch.GetTimestamp();
        foreach (var batch in corpus.Chunk(settings.BatchSize))
        {
            foreach (var result in await store.UpsertAsync(batch, atomic: false, cancellationToken))
            {
                chunks += result.Status == UpsertStatus.Added
                    ? result.Chunks
                    : throw new InvalidOperationException($"'{result.Path}' was {result.Status} ({result.Error}); the benchmark expected Added.");
            }
        }

        return (chunks, Stopwatch.GetElapsedTime(start));
    }

    // Watches the workspace's vector index fill up; the drain is over when every chunk has a vector and the worker is idle.
    private async Task<(TimeSpan EmbeddedAt, TimeSpan DrainedAt)> MonitorAsync(
        EmbeddingWorker worker, Task workerTask, WorkspaceVectors vectors, WorkspaceStore store, Stopwatch clock, Task loop, CancellationToken cancellationToken)
    {
        TimeSpan? embeddedAt = null;
        var reported = TimeSpan.Zero;
        while (true)
        {
            var embedded = vectors.Get(store)?.Count ?? 0;
            Volatile.Write(ref _embedded, embedded);
            if (embedded >= _chunks)
            {
                embeddedAt ??= clock.Elapsed;
                if (worker.IsIdle)
                {
                    return (embeddedAt.Value, clock.Elapsed);
                }
            }

            if (workerTask.IsCompleted || loop.IsCompleted)
            {
                // Surfaces the exception of whichever stopped early.
                await Task.WhenAll(workerTask, loop);
                throw new InvalidOperationException("The embedding worker or the query loop stopped before the drain ended.");
            }

            if (clock.Elapsed > settings.Timeout)
            {
                throw new TimeoutException($"The drain had embedded {embedded:N0} of {_chunks:N0} chunks after {settings.Timeout.TotalSeconds:F0} s.");
            }

            if (clock.Elapsed - reported >= TimeSpan.FromSeconds(10))
            {
                reported = clock.Elapsed;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{clock.Elapsed:mm\\:ss} {embedded:N0}/{_chunks:N0} chunks embedded ({embedded / clock.Elapsed.TotalSeconds:F1}/s)"));
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    // Runs until it has run maxQueries queries or queriesAfterDrain of them after the drain.
    private async Task QueryLoopAsync(
        ContextEngine engine, WorkspaceStore store, IReadOnlyList<string> queries, Stopwatch clock,
        List<DrainQuery> recorded, int maxQueries, int queriesAfterDrain, CancellationToken cancellationToken)
    {
        var afterDrain = 0;
        for (var i = 0; i < maxQueries && afterDrain < queriesAfterDrain; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var query = queries[i % queries.Count];
            var phase = DrainPhases.Of(Volatile.Read(ref _embedded), _chunks, Volatile.Read(ref _drained) == 1);
            afterDrain += phase == DrainPhase.AfterDrain ? 1 : 0;
            var assemble = i % 2 == 0;
            var at = clock.Elapsed;
            var start = Stopwatch.GetTimestamp();
            try
            {
                var retrieval = assemble
                    ? (await engine.AssembleAsync(store, new AssembleRequest(query, MaxTokens: 2000, MaxDocuments: 8), cancellationToken)).Retrieval
                    : await engine.RetrieveAsync(store, query, RetrievalMode.Auto, TopChunks, cancellationToken: cancellationToken);
                var milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var top = retrieval.Chunks.Take(TopChunks).ToList();
                var share = top.Count == 0 ? 0 : top.Count(c => c.SemanticScore is not null) / (double)top.Count;
                var used = retrieval.QueryVector is not null && retrieval.Vectors is not null;
                var embed = retrieval.StageMilliseconds.GetValueOrDefault("embed");
                recorded.Add(new DrainQuery(assemble ? "assemble" : "retrieve", phase, at, milliseconds, embed, retrieval.Route, used, share, null));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                recorded.Add(new DrainQuery(assemble ? "assemble" : "retrieve", phase, at, Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, string.Empty, false, 0, $"{ex.GetType().Name}: {ex.Message}"));
            }

            // The engine is synchronous below its await points once the model is loaded: yield so that the
            // monitor's timer continuations are not starved on a two-core machine.
            await Task.Yield();
        }
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
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
