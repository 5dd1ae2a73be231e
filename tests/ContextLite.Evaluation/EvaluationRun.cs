using System.Diagnostics;
using ContextLite.Clustering;
using ContextLite.Search;
using ContextLite.Selection;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Evaluation;

/// <summary>Ingests a collection through the engine into a fresh workspace and runs every judged query.</summary>
internal static class EvaluationRun
{
    public const string Model = "all-MiniLM-L6-v2";
    private const int Depth = 300;
    private static readonly int[] s_budgets = [500, 1000, 2000];

    public static async Task<EvaluationReport> RunAsync(Dataset dataset, EvaluationArguments arguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "contextlite-eval", Guid.NewGuid().ToString("N"));
        try
        {
            using var catalog = new WorkspaceCatalog(
                Options.Create(new StorageOptions { DataDirectory = directory, MaxDocumentBytes = 64 * 1024 * 1024 }),
                Options.Create(new ChunkingOptions()),
                TiktokenCounter.Cl100k,
                TimeProvider.System);
            var store = catalog.OpenOrCreate(WorkspaceId.Parse("eval"));
            var report = new EvaluationReport(dataset.Name, arguments);

            var clock = Stopwatch.StartNew();
            foreach (var batch in dataset.Corpus.Chunk(500))
            {
                var inputs = batch.Select(d => new DocumentInput(
                    d.Id, "doc/" + d.Id, d.Title.Length > 0 ? d.Title + "\n\n" + d.Text : d.Text, null,
                    dataset.CorpusVectors?.GetValueOrDefault(d.Id), dataset.CorpusVectors is null ? null : Model)).ToList();
                var results = await store.UpsertAsync(inputs, atomic: false);
                report.IngestErrors += results.Count(r => r.Status == UpsertStatus.Error);
            }

            report.IngestSeconds = clock.Elapsed.TotalSeconds;
            report.Chunks = store.ChunkCount();

            var vectors = new WorkspaceVectors();
            var index = vectors.Get(store);
            var clustering = new ClusteringOptions();
            if (index is not null && index.Count >= clustering.MinChunks)
            {
                clock.Restart();
                var built = index.BuildClusters(new KMeansOptions(Seed: clustering.Seed));
                report.ClusterSeconds = clock.Elapsed.TotalSeconds;
                report.K = built.K;
                report.NProbe = clustering.ProbeGap > 0 ? clustering.MaxProbesFor(built.K) : clustering.ProbesFor(built.K);
            }

            var engines = new Dictionary<string, ContextEngine>(StringComparer.Ordinal)
            {
                ["rrf"] = Engine(vectors, new SearchOptions { Fusion = "rrf" }),
                ["weighted-0.3"] = Engine(vectors, new SearchOptions { Fusion = "weighted", LexicalWeight = 0.3 }),
                ["weighted-0.4"] = Engine(vectors, new SearchOptions { Fusion = "weighted", LexicalWeight = 0.4 }),
                ["weighted-0.5"] = Engine(vectors, new SearchOptions { Fusion = "weighted", LexicalWeight = 0.5 }),
                ["weighted-0.7"] = Engine(vectors, new SearchOptions { Fusion = "weighted", LexicalWeight = 0.7 }),
            };
            var product = Engine(vectors, new SearchOptions());
            var variants = new Dictionary<string, ContextEngine>(StringComparer.Ordinal)
            {
                ["half-life 0 (scaled scores)"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RelevanceHalfLife = 0 }),
                ["half-life 0.5"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RelevanceHalfLife = 0.5 }),
                ["half-life 2"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RelevanceHalfLife = 2 }),
                ["redundancy floor 0.5"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RedundancyFloor = 0.5 }),
                ["redundancy floor 0.8"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RedundancyFloor = 0.8 }),
                ["redundancy floor 0.95"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RedundancyFloor = 0.95 }),
                ["half-life 1.5, floor 0.95"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RelevanceHalfLife = 1.5, RedundancyFloor = 0.95 }),
                ["lambda 0 (no redundancy)"] = Engine(vectors, new SearchOptions(), new SelectionOptions { Lambda = 0 }),
                ["half-life 2, floor 0.9"] = Engine(vectors, new SearchOptions(), new SelectionOptions { RelevanceHalfLife = 2, RedundancyFloor = 0.9 }),
                ["greedy solver"] = Engine(vectors, new SearchOptions(), new SelectionOptions { Solver = "greedy" }),
            };

            var judged = dataset.Qrels.Keys.Where(dataset.Queries.ContainsKey).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (arguments.Queries is { } limit)
            {
                judged = judged.Take(limit).ToList();
            }

            foreach (var queryId in judged)
            {
                var text = dataset.Queries[queryId];
                var relevant = dataset.Qrels[queryId];
                var vector = dataset.QueryVectors?.GetValueOrDefault(queryId);

                report.Add("lexical", Docs(await product.RetrieveAsync(store, text, RetrievalMode.Lexical, Depth, includeText: false)), relevant);
                if (index is not null && vector is not null)
                {
                    var exact = index.SearchExact(vector, Depth);
                    var ivf = index.SearchIvf(vector, Depth, Math.Max(report.NProbe, 1), (float)clustering.ProbeGap, clustering.ProbeGap > 0 ? clustering.MinProbeVectors : 0, out var probed);
                    report.Probed.Add(probed);
                    report.Add("semantic", Docs(exact, store), relevant);
                    report.Add("semantic_ivf", Docs(ivf, store), relevant);
                    report.IvfRecall.Add(exact.Take(10).Select(h => h.Id).Intersect(ivf.Take(10).Select(h => h.Id)).Count() / (double)Math.Min(10, exact.Count));
                    foreach (var (name, engine) in engines)
                    {
                        report.Add("hybrid_" + name, Docs(await engine.RetrieveAsync(store, text, RetrievalMode.Hybrid, Depth, vector, includeText: false)), relevant);
                    }
                }

                if (vector is not null)
                {
                    report.Add("hybrid", Docs(await product.RetrieveAsync(store, text, RetrievalMode.Hybrid, Depth, vector, includeText: false)), relevant);
                }

                var auto = await product.RetrieveAsync(store, text, RetrievalMode.Auto, Depth, vector, includeText: false);
                report.Add("auto", Docs(auto), relevant);
                report.Routes[auto.Route] = report.Routes.GetValueOrDefault(auto.Route) + 1;

                var ranking = await product.RetrieveAsync(store, text, RetrievalMode.Hybrid, new SearchOptions().SelectionCandidates, vector, includeText: false);
                foreach (var budget in s_budgets)
                {
                    var started = Stopwatch.GetTimestamp();
                    var assembled = await product.AssembleAsync(store, new AssembleRequest(text, budget, 1000, RetrievalMode.Hybrid, QueryEmbedding: vector));
                    report.AddLatency(budget, Stopwatch.GetElapsedTime(started).TotalMilliseconds, assembled);
                    var chosen = Chosen(assembled);
                    report.AddAssembly(budget, Metrics.SetRecall(chosen, relevant), Metrics.SetRecall(PackInOrder(ranking, budget), relevant), assembled.TotalTokens);
                    foreach (var (name, engine) in variants)
                    {
                        var variant = await engine.AssembleAsync(store, new AssembleRequest(text, budget, 1000, RetrievalMode.Hybrid, QueryEmbedding: vector));
                        report.AddVariant(name, budget, Metrics.SetRecall(Chosen(variant), relevant));
                    }
                }
            }

            return report;
        }
        finally
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

    /// <summary>Documents whose text is in the context: each passage's, and the identical copies it cites.</summary>
    private static HashSet<string> Chosen(AssembleResult result) =>
        result.Passages.SelectMany(p => p.Duplicates.Select(d => d.DocumentId).Prepend(p.DocumentId)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The baseline: walk the hybrid ranking, take each chunk that still fits, skip the rest.</summary>
    private static HashSet<string> PackInOrder(RetrievalResult ranking, int budget)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var left = budget;
        foreach (var chunk in ranking.Chunks)
        {
            if (chunk.Chunk.Tokens <= left)
            {
                left -= chunk.Chunk.Tokens;
                chosen.Add(chunk.Chunk.DocumentId);
            }
        }

        return chosen;
    }

    private static ContextEngine Engine(WorkspaceVectors vectors, SearchOptions search, SelectionOptions? selection = null) =>
        new(vectors, embedder: null, Options.Create(search), Options.Create(new ClusteringOptions()), Options.Create(selection ?? new SelectionOptions()));

    private static List<string> Docs(RetrievalResult result) =>
        result.Chunks.Select(c => c.Chunk.DocumentId).Distinct(StringComparer.Ordinal).ToList();

    private static List<string> Docs(IReadOnlyList<ScoredId> hits, WorkspaceStore store)
    {
        var views = store.GetChunks(hits.Select(h => h.Id).ToList(), includeText: false);
        return hits.Where(h => views.ContainsKey(h.Id)).Select(h => views[h.Id].DocumentId).Distinct(StringComparer.Ordinal).ToList();
    }
}
