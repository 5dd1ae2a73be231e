namespace ContextLite.Search;

/// <summary>Combines a lexical and a vector ranking into one score per chunk.</summary>
internal static class Fusion
{
    /// <summary>Reciprocal-rank fusion: Σ 1 / (k + rank) over the lists a chunk appears in.</summary>
    public static double Rrf(int? lexicalRank, int? semanticRank, int k) =>
        (lexicalRank is { } l ? 1.0 / (k + l) : 0) + (semanticRank is { } s ? 1.0 / (k + s) : 0);

    /// <summary>
    /// Weighted sum of scores normalised per query: BM25 divided by the best BM25, cosine min-max scaled
    /// over the candidates; a missing score counts as 0.
    /// </summary>
    public static double Weighted(float? lexical, float maxLexical, float? semantic, float minSemantic, float maxSemantic, double lexicalWeight)
    {
        var l = lexical is { } x && maxLexical > 0 ? x / maxLexical : 0;
        var range = maxSemantic - minSemantic;
        var s = semantic is { } y ? (range > 1e-6 ? (y - minSemantic) / range : 1) : 0;
        return (lexicalWeight * l) + ((1 - lexicalWeight) * s);
    }
}
