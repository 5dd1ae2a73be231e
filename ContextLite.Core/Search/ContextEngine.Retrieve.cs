using System.Diagnostics;
using ContextLite.Storage;

namespace ContextLite.Search;

public sealed partial class ContextEngine
{
    /// <summary>Finds and ranks the best <paramref name="limit"/> chunks for <paramref name="query"/>.</summary>
    /// <exception cref="QueryRejectedException">The query is empty, too long, or its vector does not fit the workspace.</exception>
    public async Task<RetrievalResult> RetrieveAsync(
        WorkspaceStore store,
        string query,
        RetrievalMode mode,
        int limit,
        float[]? queryEmbedding = null,
        bool includeText = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (string.IsNullOrWhiteSpace(query) && queryEmbedding is null)
        {
            throw new QueryRejectedException("'query' is required and must not be blank.");
        }

        if (query.Length > _search.MaxQueryLength)
        {
            throw new QueryRejectedException($"'query' is {query.Length} characters long; the limit is {_search.MaxQueryLength} (search.max_query_length).");
        }

        using var retrieveSpan = StartSpan("retrieve", store);
        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        var span = StartSpan("lexical", store);
        var start = Stopwatch.GetTimestamp();
        var fts = FtsQuery.Parse(query);
        var (lexical, termsKept) = mode != RetrievalMode.Semantic
            ? store.SearchLexical(fts.Terms, _search.LexicalCandidates, _search.LexicalMaxPostings)
            : ([], 0);
        stages["lexical"] = Elapsed(start);
        span?.SetTag("contextlite.candidates", lexical.Count).SetTag("contextlite.terms", fts.Terms.Count).SetTag("contextlite.terms_kept", termsKept).Dispose();

        span = StartSpan("embed", store);
        start = Stopwatch.GetTimestamp();
        var vectors = mode == RetrievalMode.Lexical ? null : _vectors.Get(store);
        var (queryVector, note) = await ResolveQueryVectorAsync(store, vectors, query, queryEmbedding, mode, cancellationToken).ConfigureAwait(false);
        stages["embed"] = Elapsed(start);
        span?.Dispose();

        start = Stopwatch.GetTimestamp();
        var head = new List<long>(Confidence.Head);
        for (var i = 0; i < lexical.Count && i < Confidence.Head; i++)
        {
            head.Add(lexical[i].Id);
        }

        var headViews = store.GetChunks(head, includeText: true);
        var confidence = Confidence.Estimate(fts, lexical, headViews);
        var route = mode switch
        {
            RetrievalMode.Lexical => "lexical",
            RetrievalMode.Semantic => "semantic",
            RetrievalMode.Hybrid => "hybrid",
            _ when confidence >= _search.SmtThreshold => "smt",
            _ when confidence >= _search.ResidualThreshold => "smt+residual",
            _ => "cluster",
        };
        stages["route"] = Elapsed(start);
        retrieveSpan?.SetTag("contextlite.route", route).SetTag("contextlite.confidence", confidence);

        span = StartSpan("vector", store);
        start = Stopwatch.GetTimestamp();
        var (semantic, clustersUsed, nprobe) = queryVector is null || vectors is null
            ? ([], false, 0)
            : VectorStage(route, vectors, queryVector, lexical);
        stages["vector"] = Elapsed(start);
        span?.SetTag("contextlite.index", clustersUsed ? "ivf" : "exact").SetTag("contextlite.nprobe", nprobe).Dispose();

        span = StartSpan("fusion", store);
        start = Stopwatch.GetTimestamp();
        var ranked = Fuse(lexical, semantic, limit);

        // The lexical head was read for the confidence estimate: only the other candidates are fetched.
        var views = store.GetChunks(ranked.Where(r => !headViews.ContainsKey(r.Id)).Select(r => r.Id).ToList(), includeText);
        var chunks = new List<RankedChunk>(ranked.Count);
        foreach (var r in ranked)
        {
            if (views.TryGetValue(r.Id, out var view) || headViews.TryGetValue(r.Id, out view))
            {
                view = includeText || view.Text is null ? view : view with { Text = null };
                chunks.Add(new RankedChunk(view, r.Score, r.Lexical, r.LexicalRank, r.Semantic, r.SemanticRank, vectors?.ClusterOf(r.Id) ?? -1));
            }
        }

        stages["fusion"] = Elapsed(start);
        span?.Dispose();
        return new RetrievalResult(chunks, route, confidence, clustersUsed, nprobe, note, stages, queryVector, vectors);
    }

    private (IReadOnlyList<ScoredId> Hits, bool ClustersUsed, int NProbe) VectorStage(
        string route, VectorIndex vectors, float[] query, IReadOnlyList<ScoredId> lexical)
    {
        var useClusters = vectors.ClusterCount > 0 && vectors.Count >= _clustering.MinChunks;
        var adaptive = _clustering.ProbeGap > 0;
        var nprobe = !useClusters ? 0 : adaptive ? _clustering.MaxProbesFor(vectors.ClusterCount) : _clustering.ProbesFor(vectors.ClusterCount);
        switch (route)
        {
            case "smt":
                return (Rescore(vectors, query, [.. lexical.Select(h => h.Id)]), false, 0);
            case "smt+residual" when useClusters:
                // Residual refinement: the clusters the best lexical hits fall into hold their semantic neighbours.
                var clusters = new HashSet<int>();
                for (var i = 0; i < lexical.Count && i < Confidence.Head; i++)
                {
                    clusters.Add(vectors.ClusterOf(lexical[i].Id));
                }

                clusters.Remove(-1);
                var ids = new long[lexical.Count];
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = lexical[i].Id;
                }

                return (vectors.ScoreWithClusters(query, ids, clusters), true, clusters.Count);
            case "smt+residual":
                var pool = new HashSet<long>(lexical.Select(h => h.Id));
                pool.UnionWith(vectors.SearchExact(query, _search.VectorCandidates).Select(h => h.Id));
                return (Rescore(vectors, query, [.. pool]), false, 0);
            default:
                if (!useClusters)
                {
                    return (vectors.SearchExact(query, _search.VectorCandidates), false, 0);
                }

                var hits = vectors.SearchIvf(query, _search.VectorCandidates, nprobe, (float)_clustering.ProbeGap, adaptive ? _clustering.MinProbeVectors : 0, out var probed);
                return (hits, true, probed);
        }
    }

    /// <summary>The vectors' scores of <paramref name="ids"/> (distinct), best first; ids without a vector are left out.</summary>
    private static List<ScoredId> Rescore(VectorIndex vectors, float[] query, IReadOnlyList<long> ids) =>
        vectors.ScoreWithClusters(query, ids, []);

    private List<Fused> Fuse(IReadOnlyList<ScoredId> lexical, IReadOnlyList<ScoredId> semantic, int limit)
    {
        var all = new Dictionary<long, Fused>(lexical.Count + semantic.Count);
        for (var i = 0; i < lexical.Count; i++)
        {
            all[lexical[i].Id] = new Fused(lexical[i].Id) { Lexical = lexical[i].Score, LexicalRank = i + 1 };
        }

        for (var i = 0; i < semantic.Count; i++)
        {
            var entry = all.TryGetValue(semantic[i].Id, out var found) ? found : all[semantic[i].Id] = new Fused(semantic[i].Id);
            entry.Semantic = semantic[i].Score;
            entry.SemanticRank = i + 1;
        }

        var maxLexical = lexical.Count > 0 ? lexical[0].Score : 0;
        var minSemantic = semantic.Count > 0 ? semantic[^1].Score : 0;
        var maxSemantic = semantic.Count > 0 ? semantic[0].Score : 0;
        var weighted = string.Equals(_search.Fusion, "weighted", StringComparison.OrdinalIgnoreCase);
        foreach (var entry in all.Values)
        {
            entry.Score = weighted
                ? Fusion.Weighted(entry.Lexical, maxLexical, entry.Semantic, minSemantic, maxSemantic, _search.LexicalWeight)
                : Fusion.Rrf(entry.LexicalRank, entry.SemanticRank, _search.RrfK);
        }

        // Only the best `limit` are kept: a bounded heap (worst on top) instead of sorting every fused candidate,
        // which on the smt+residual route is thousands of cluster members.
        var heap = new PriorityQueue<Fused, Fused>(limit + 1, s_worstFirst);
        foreach (var entry in all.Values)
        {
            if (heap.Count < limit)
            {
                heap.Enqueue(entry, entry);
            }
            else if (limit > 0 && Better(entry, heap.Peek()))
            {
                heap.EnqueueDequeue(entry, entry);
            }
        }

        var ordered = new List<Fused>(heap.Count);
        while (heap.TryDequeue(out var entry, out _))
        {
            ordered.Add(entry);
        }

        ordered.Reverse();
        return ordered;
    }

    private static readonly Comparer<Fused> s_worstFirst = Comparer<Fused>.Create((a, b) => Better(a, b) ? 1 : Better(b, a) ? -1 : 0);

    /// <summary>Higher score first, then the smaller id: the order of the fused list.</summary>
    private static bool Better(Fused a, Fused b) => a.Score > b.Score || (a.Score == b.Score && a.Id < b.Id);

    private sealed class Fused(long id)
    {
        public long Id { get; } = id;

        public double Score { get; set; }

        public float? Lexical { get; set; }

        public int? LexicalRank { get; set; }

        public float? Semantic { get; set; }

        public int? SemanticRank { get; set; }
    }
}
