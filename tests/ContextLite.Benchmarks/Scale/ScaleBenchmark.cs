using System.Diagnostics;
using ContextLite.Clustering;
using ContextLite.Search;
using ContextLite.Selection;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Benchmarks.Scale;

/// <summary>
/// One end-to-end run per corpus size, in process (no HTTP): generate a <see cref="ScaleCorpus"/> batch by batch,
/// ingest it with bring-your-own vectors through <see cref="WorkspaceStore.UpsertAsync(IReadOnlyList{DocumentInput}, bool, CancellationToken)"/>,
/// load the workspace's <see cref="VectorIndex"/> as the node does, build its clusters as the indexer does, then
/// time assemble and search with the engine's default options, and the vector stage alone against the exact scan.
/// </summary>
internal sealed class ScaleBenchmark(ScaleSettings settings, TextWriter log)
{
    private const string Model = "synthetic-384";

    public async Task<ScaleRun> RunAsync(int size, CancellationToken cancellationToken)
    {
        if (settings.DataDirectory is { } kept)
        {
            return await RunInAsync(Path.GetFullPath(Path.Combine(kept, $"n{size}")), size, cancellationToken);
        }

        var directory = Path.Combine(Path.GetTempPath(), "contextlite-scale", Guid.NewGuid().ToString("N"));
        try
        {
            return await RunInAsync(directory, size, cancellationToken);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private async Task<ScaleRun> RunInAsync(string directory, int size, CancellationToken cancellationToken)
    {
        var corpus = new ScaleCorpus(settings.Seed);
        using var catalog = new WorkspaceCatalog(
            Options.Create(new StorageOptions { DataDirectory = directory }),
            Options.Create(new ChunkingOptions()),
            TiktokenCounter.Cl100k,
            TimeProvider.System);
        var store = catalog.OpenOrCreate(WorkspaceId.Parse("scale"));

        double generate = 0, ingest = 0;
        var reused = store.ChunkCount() >= size;
        for (var first = reused ? size : 0; first < size; first += settings.BatchSize)
        {
            var started = Stopwatch.GetTimestamp();
            var count = Math.Min(settings.BatchSize, size - first);
            var batch = new DocumentInput[count];
            Parallel.For(0, count, i =>
            {
                var item = corpus.Chunk(first + i);
                batch[i] = new DocumentInput($"c{first + i}", $"topic-{item.Topic}/c{first + i}.txt", item.Text, null, item.Vector, Model);
            });
            generate += Stopwatch.GetElapsedTime(started).TotalSeconds;

            started = Stopwatch.GetTimestamp();
            var results = await store.UpsertAsync(batch, atomic: false, cancellationToken);
            ingest += Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (results.FirstOrDefault(r => r.Status == UpsertStatus.Error) is { } failed)
            {
                throw new InvalidOperationException($"Ingest failed at item {first + failed.Index}: {failed.Error}");
            }

            if ((first / settings.BatchSize) % 50 == 49)
            {
                log.WriteLine($"  N = {size:N0}: {first + count:N0} ingested, {(first + count) / ingest:N0} chunks/s");
            }
        }

        var chunks = store.ChunkCount();
        var disk = DiskBytes(directory);
        if (reused)
        {
            log.WriteLine($"N = {size:N0}: reusing the {chunks:N0} chunks already in {directory} (ingest not measured)");
        }
        else
        {
            log.WriteLine($"N = {size:N0}: {chunks:N0} chunks ingested in {ingest:0.0} s ({chunks / ingest:N0}/s; generating took {generate:0.0} s), {disk / chunks:N0} B/chunk on disk");
        }

        Collect();
        var rssBefore = Rss();
        var clock = Stopwatch.StartNew();
        var vectors = new WorkspaceVectors();
        var index = vectors.Get(store) ?? throw new InvalidOperationException("The workspace has no vectors after ingest.");
        var load = clock.Elapsed.TotalSeconds;
        Collect();
        var rssLoaded = Rss();

        var clustering = new ClusteringOptions();
        clock.Restart();
        var built = index.BuildClusters(new KMeansOptions(Seed: clustering.Seed), cancellationToken);
        var clusterSeconds = clock.Elapsed.TotalSeconds;
        Collect();
        var rssClusters = Rss();
        var nprobe = clustering.ProbeGap > 0 ? clustering.MaxProbesFor(built.K) : clustering.ProbesFor(built.K);
        log.WriteLine($"  vectors loaded in {load:0.0} s ({index.MemoryBytes / index.Count:N0} B/vector), K = {built.K} built in {clusterSeconds:0.0} s, nprobe {nprobe}");

        var queries = Enumerable.Range(0, settings.Queries + settings.Warmup).Select(corpus.Query).ToList();
        var latency = await QueryLatencyAsync(store, vectors, queries, cancellationToken);
        if (settings.WritesEvery > 0)
        {
            await LatencyWhileWritingAsync(store, vectors, corpus, size, queries.Skip(settings.Warmup).ToList(), cancellationToken);
        }

        var (exactMs, truth) = ExactScan(index, queries);
        var probes = ProbeSweep(index, queries, truth, built.K, nprobe);
        var adaptive = AdaptiveSweep(index, queries, truth, nprobe);
        log.WriteLine($"  assemble p50 {latency.Assemble.P50:0.00} ms p99 {latency.Assemble.P99:0.00} ms; exact {exactMs:0.00} ms; IVF nprobe {nprobe}: recall {probes.First(p => p.NProbe == nprobe).Recall:0.000}; adaptive as the engine probes recall {adaptive.First(a => a.IsEngine).Recall:0.000}");

        FaissResult? faiss = null;
        if (settings.Python is { } python)
        {
            faiss = FaissPeer.Run(python, Path.Combine(directory, "peer"), index, queries.Skip(settings.Warmup).ToList(), truth, probes.Select(p => p.NProbe).ToList(), log);
        }

        return new ScaleRun(
            size, chunks, generate, ingest, ingest > 0 ? chunks / ingest : 0, disk, load, index.MemoryBytes, rssBefore, rssLoaded, rssClusters,
            clusterSeconds, built.K, nprobe, settings.Queries, latency.CpuMilliseconds, latency.Assemble, latency.Search, latency.Stages, latency.Routes,
            exactMs, probes, faiss, adaptive);
    }

    private async Task<(Percentiles Assemble, Percentiles Search, Dictionary<string, Percentiles> Stages, Dictionary<string, int> Routes, double CpuMilliseconds)> QueryLatencyAsync(
        WorkspaceStore store, WorkspaceVectors vectors, IReadOnlyList<ScaleItem> queries, CancellationToken cancellationToken)
    {
        var engine = DefaultEngine(vectors);
        var assemble = new List<double>();
        var cpu = TimeSpan.Zero;
        var search = new List<double>();
        var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var routes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var q = 0; q < queries.Count; q++)
        {
            var query = queries[q];
            var cpuBefore = ProcessorTime();
            var started = Stopwatch.GetTimestamp();
            var result = await engine.AssembleAsync(
                store, new AssembleRequest(query.Text, settings.MaxTokens, settings.MaxDocuments, RetrievalMode.Auto, QueryEmbedding: query.Vector), cancellationToken);
            var assembleMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var cpuSpent = ProcessorTime() - cpuBefore;

            started = Stopwatch.GetTimestamp();
            await engine.RetrieveAsync(store, query.Text, RetrievalMode.Auto, ScaleSettings.TopK, query.Vector, includeText: true, cancellationToken);
            var searchMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (q < settings.Warmup)
            {
                continue;
            }

            assemble.Add(assembleMs);
            cpu += cpuSpent;
            search.Add(searchMs);
            routes[result.Retrieval.Route] = routes.GetValueOrDefault(result.Retrieval.Route) + 1;
            AddStages(stages, result);
        }

        return (Percentiles.Of(assemble), Percentiles.Of(search),
            stages.ToDictionary(s => s.Key, s => Percentiles.Of(s.Value), StringComparer.Ordinal), routes, cpu.TotalMilliseconds / assemble.Count);
    }

    /// <summary>
    /// The measured queries again, with a new document (bring-your-own vector) written before every
    /// <see cref="ScaleSettings.WritesEvery"/>-th: each write bumps the workspace version, so the lexical hits kept
    /// for a common word (<c>CommonTermHits</c>) are scored again by the next query that needs them. Without writes the
    /// same queries hit those kept lists (the search latency of the first pass). The writes are not timed and are
    /// deleted afterwards, so a kept <c>--data-dir</c> workspace is left as it was.
    /// </summary>
    private async Task LatencyWhileWritingAsync(
        WorkspaceStore store, WorkspaceVectors vectors, ScaleCorpus corpus, int size, IReadOnlyList<ScaleItem> queries, CancellationToken cancellationToken)
    {
        var engine = DefaultEngine(vectors);
        var assemble = new List<double>();
        var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var written = new List<string>();
        for (var q = 0; q < queries.Count; q++)
        {
            if (q % settings.WritesEvery == 0)
            {
                var item = corpus.Chunk(size + written.Count);
                var id = $"w{written.Count}";
                await store.UpsertAsync(new DocumentInput(id, $"writes/{id}.txt", item.Text, null, item.Vector, Model), cancellationToken);
                written.Add(id);
            }

            var started = Stopwatch.GetTimestamp();
            var result = await engine.AssembleAsync(
                store, new AssembleRequest(queries[q].Text, settings.MaxTokens, settings.MaxDocuments, RetrievalMode.Auto, QueryEmbedding: queries[q].Vector), cancellationToken);
            assemble.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            AddStages(stages, result);
        }

        foreach (var id in written)
        {
            await store.DeleteDocumentAsync(id, cancellationToken);
        }

        var a = Percentiles.Of(assemble);
        var perStage = string.Join(", ", stages.Select(s =>
        {
            var p = Percentiles.Of(s.Value);
            return $"{s.Key} {p.P50:0.00} / {p.P95:0.00} / {p.P99:0.00}";
        }));
        log.WriteLine($"  the same {queries.Count} queries with a write before every {settings.WritesEvery} ({written.Count} writes): assemble p50 / p95 / p99 {a.P50:0.00} / {a.P95:0.00} / {a.P99:0.00} ms; stages {perStage} ms");
    }

    /// <summary>The engine as a node runs it by default, without an embedder (the queries bring their vectors).</summary>
    private static ContextEngine DefaultEngine(WorkspaceVectors vectors) =>
        new(vectors, embedder: null, Options.Create(new SearchOptions()), Options.Create(new ClusteringOptions()), Options.Create(new SelectionOptions()));

    /// <summary>Adds an assemble call's own stage timings to <paramref name="stages"/>.</summary>
    private static void AddStages(Dictionary<string, List<double>> stages, AssembleResult result)
    {
        foreach (var (stage, ms) in result.Retrieval.StageMilliseconds)
        {
            if (!stages.TryGetValue(stage, out var times))
            {
                stages[stage] = times = [];
            }

            times.Add(ms);
        }
    }

    private (double Milliseconds, long[][] Truth) ExactScan(VectorIndex index, IReadOnlyList<ScaleItem> queries)
    {
        var measured = queries.Skip(settings.Warmup).ToList();
        var truth = new long[measured.Count][];
        var clock = Stopwatch.StartNew();
        for (var q = 0; q < measured.Count; q++)
        {
            truth[q] = [.. index.SearchExact(measured[q].Vector, ScaleSettings.TopK).Select(h => h.Id)];
        }

        return (clock.Elapsed.TotalMilliseconds / measured.Count, truth);
    }

    private List<ProbeRow> ProbeSweep(VectorIndex index, IReadOnlyList<ScaleItem> queries, long[][] truth, int k, int product)
    {
        var measured = queries.Skip(settings.Warmup).ToList();
        var probes = new SortedSet<int> { product };
        for (var p = 1; p <= k; p *= 2)
        {
            probes.Add(p);
        }

        var rows = new List<ProbeRow>();
        foreach (var nprobe in probes)
        {
            var found = 0;
            var clock = Stopwatch.StartNew();
            for (var q = 0; q < measured.Count; q++)
            {
                foreach (var hit in index.SearchIvf(measured[q].Vector, ScaleSettings.TopK, nprobe))
                {
                    found += Array.IndexOf(truth[q], hit.Id) >= 0 ? 1 : 0;
                }
            }

            rows.Add(new ProbeRow(nprobe, (double)found / (measured.Count * ScaleSettings.TopK), clock.Elapsed.TotalMilliseconds / measured.Count));
        }

        return rows;
    }

    /// <summary>Recall and cost of the adaptive probe count (<see cref="ClusteringOptions.ProbeGap"/>) over a range of gaps.</summary>
    private List<AdaptiveProbeRow> AdaptiveSweep(VectorIndex index, IReadOnlyList<ScaleItem> queries, long[][] truth, int maxProbes)
    {
        var measured = queries.Skip(settings.Warmup).ToList();
        var rows = new List<AdaptiveProbeRow>();
        var engine = new ClusteringOptions();
        foreach (var (gap, minVectors) in ((double, int)[])[(0.3, 0), (0.5, 0), (0.75, 0), (0.9, 0), (1.0, 0), (engine.ProbeGap, engine.MinProbeVectors)])
        {
            var found = 0;
            long probed = 0;
            var clock = Stopwatch.StartNew();
            for (var q = 0; q < measured.Count; q++)
            {
                var hits = index.SearchIvf(measured[q].Vector, ScaleSettings.TopK, maxProbes, (float)gap, minVectors, out var used);
                probed += used;
                foreach (var hit in hits)
                {
                    found += Array.IndexOf(truth[q], hit.Id) >= 0 ? 1 : 0;
                }
            }

            var ms = clock.Elapsed.TotalMilliseconds / measured.Count;
            rows.Add(new AdaptiveProbeRow(gap, maxProbes, probed / (double)measured.Count, (double)found / (measured.Count * ScaleSettings.TopK), ms, minVectors));
        }

        return rows;
    }

    private static long DiskBytes(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>
    /// The process's CPU time: on a machine shared with other work, wall-clock latency includes time spent
    /// waiting for a core, and the mean CPU time per query (summed over many, the clock's tick is coarse) does not.
    /// </summary>
    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is the OS's to clean.
        }
    }
}
