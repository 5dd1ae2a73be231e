namespace ContextLite.Client.Contracts;

/// <summary>Ranked chunks for a query.</summary>
public sealed record SearchResult(string Workspace, string Query, string Route, double Confidence, IReadOnlyList<SearchHit> Results, string NodeId);

/// <summary>One ranked chunk with its fused, lexical and semantic scores.</summary>
public sealed record SearchHit(
    long ChunkId, string DocumentId, string Path, int StartLine, int EndLine, int Tokens, double Score,
    float? LexicalScore, int? LexicalRank, float? SemanticScore, int? SemanticRank, string? Content);
