using ContextLite.Node.Caching;

namespace ContextLite.Node.Api;

/// <summary>An assembled context; <see cref="Cache"/> says whether it was served from the assemble cache.</summary>
internal sealed record AssembleResponse(
    string Workspace,
    string Query,
    IReadOnlyList<AssembledDocumentResponse> Documents,
    int TotalTokens,
    int DocumentCount,
    string Route,
    double Confidence,
    SolverResponse Solver,
    IReadOnlyDictionary<string, double> TimingsMs,
    string NodeId,
    string? Note,
    RetrievalInfo Retrieval,
    IReadOnlyList<PenaltyResponse>? Penalties,
    QueryLimitsResponse Limits,
    CacheResponse? Cache = null);

/// <summary>What the request asked for and what the workspace's limits let it have.</summary>
internal sealed record QueryLimitsResponse(int MaxDocumentsRequested, int MaxDocumentsApplied, int MaxTokensRequested, int MaxTokensApplied);

/// <summary>One passage of the context.</summary>
internal sealed record AssembledDocumentResponse(
    string Id,
    string Path,
    int StartLine,
    int EndLine,
    string? Content,
    int Tokens,
    double Relevance,
    float? LexicalScore,
    float? SemanticScore,
    int? Cluster,
    IReadOnlyList<long> ChunkIds,
    string Reason,
    IReadOnlyList<DuplicateResponse>? Duplicates);

/// <summary>An unchosen document with the same text as a chosen passage.</summary>
internal sealed record DuplicateResponse(string Id, string Path, int StartLine, int EndLine, double Similarity);

/// <summary>Which solver answered and what it can prove.</summary>
internal sealed record SolverResponse(
    string Name, string Status, double Objective, double? Bound, double? Gap, double ElapsedMs, int Candidates, long Nodes);

/// <summary>How the candidates were found.</summary>
internal sealed record RetrievalInfo(string Mode, bool ClustersUsed, int Nprobe, int Candidates, string? EmbeddingModel);

/// <summary>A redundancy penalty between a chosen and a rejected candidate.</summary>
internal sealed record PenaltyResponse(long ChosenChunk, string ChosenPath, long RejectedChunk, string RejectedPath, double Penalty);

/// <summary>Ranked chunks.</summary>
internal sealed record SearchResponse(
    string Workspace,
    string Query,
    string Route,
    double Confidence,
    IReadOnlyList<SearchHitResponse> Results,
    IReadOnlyDictionary<string, double> TimingsMs,
    string NodeId,
    string? Note,
    RetrievalInfo Retrieval);

/// <summary>One ranked chunk.</summary>
internal sealed record SearchHitResponse(
    long ChunkId,
    string DocumentId,
    string Path,
    int StartLine,
    int EndLine,
    int Tokens,
    double Score,
    float? LexicalScore,
    int? LexicalRank,
    float? SemanticScore,
    int? SemanticRank,
    int? Cluster,
    string? Content);
