namespace ContextLite.Search;

/// <summary>What retrieval found and how.</summary>
/// <param name="Chunks">Ranked chunks, best first.</param>
/// <param name="Route">smt, smt+residual, cluster, lexical, semantic or hybrid.</param>
/// <param name="Confidence">The lexical confidence (0..1) that chose the route.</param>
/// <param name="ClustersUsed">True when the vector stage probed IVF clusters rather than scanning all vectors.</param>
/// <param name="NProbe">Clusters probed (0 for an exact scan).</param>
/// <param name="Note">Why a stage was skipped, if one was.</param>
/// <param name="StageMilliseconds">Time per stage.</param>
/// <param name="QueryVector">The query's vector, when the semantic stage ran.</param>
/// <param name="Vectors">The workspace's vectors (for redundancy), when it has any.</param>
public sealed record RetrievalResult(
    IReadOnlyList<RankedChunk> Chunks,
    string Route,
    double Confidence,
    bool ClustersUsed,
    int NProbe,
    string? Note,
    IReadOnlyDictionary<string, double> StageMilliseconds,
    float[]? QueryVector,
    VectorIndex? Vectors);
