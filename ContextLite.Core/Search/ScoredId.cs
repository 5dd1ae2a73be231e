namespace ContextLite.Search;

/// <summary>A chunk id with a score (higher is better).</summary>
public readonly record struct ScoredId(long Id, float Score);
