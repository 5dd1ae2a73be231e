namespace ContextLite.Evaluation;

/// <summary>trec_eval's definitions: nDCG@k with graded gains (gain = judgement), Recall@k, MRR@k.</summary>
internal static class Metrics
{
    public static double Ndcg(IReadOnlyList<string> ranking, Dictionary<string, int> judged, int k)
    {
        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, ranking.Count); i++)
        {
            if (judged.TryGetValue(ranking[i], out var gain))
            {
                dcg += gain / Math.Log2(i + 2);
            }
        }

        var ideal = judged.Values.OrderByDescending(g => g).Take(k).Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return ideal > 0 ? dcg / ideal : 0;
    }

    public static double Recall(IReadOnlyList<string> ranking, Dictionary<string, int> judged, int k) =>
        judged.Count == 0 ? 0 : (double)ranking.Take(k).Count(judged.ContainsKey) / judged.Count;

    public static double Mrr(IReadOnlyList<string> ranking, Dictionary<string, int> judged, int k)
    {
        for (var i = 0; i < Math.Min(k, ranking.Count); i++)
        {
            if (judged.ContainsKey(ranking[i]))
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    /// <summary>Share of the relevant documents present in a set (for assembled contexts).</summary>
    public static double SetRecall(IReadOnlySet<string> chosen, Dictionary<string, int> judged) =>
        judged.Count == 0 ? 0 : (double)judged.Keys.Count(chosen.Contains) / judged.Count;
}
