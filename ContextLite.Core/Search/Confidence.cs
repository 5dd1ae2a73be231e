using ContextLite.Storage;

namespace ContextLite.Search;

/// <summary>How far the lexical evidence alone can be trusted (0..1), which picks the query's route.</summary>
/// <remarks>
/// Two signals, both from the head of the BM25 list: coverage — the share of query terms that occur in
/// the top hits (a query whose words are absent from the best matches is asking in other words, which is
/// what vectors are for) — and margin — how far the best score stands above the tenth (a flat head means
/// BM25 cannot tell the candidates apart). Confidence = coverage × (½ + ½·margin).
/// </remarks>
internal static class Confidence
{
    public const int Head = 10;

    public static double Estimate(FtsQuery query, IReadOnlyList<ScoredId> hits, IReadOnlyDictionary<long, ChunkView> texts)
    {
        if (query.Terms.Count == 0 || hits.Count == 0)
        {
            return 0;
        }

        var head = Math.Min(Head, hits.Count);
        var covered = 0;
        foreach (var term in query.Terms)
        {
            // A prefix stands in for the stem: the index is porter-stemmed, the texts here are not.
            var probe = term.Length > 5 ? term[..5] : term;
            for (var i = 0; i < head; i++)
            {
                if (texts.TryGetValue(hits[i].Id, out var chunk) && chunk.Text is { } text
                    && text.Contains(probe, StringComparison.OrdinalIgnoreCase))
                {
                    covered++;
                    break;
                }
            }
        }

        var coverage = (double)covered / query.Terms.Count;
        var best = hits[0].Score;
        var margin = head < 2 || best <= 0 ? 1.0 : Math.Clamp((best - hits[head - 1].Score) / best, 0, 1);
        return coverage * (0.5 + (0.5 * margin));
    }
}
