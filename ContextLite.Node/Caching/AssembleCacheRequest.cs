using ContextLite.Search;

namespace ContextLite.Node.Caching;

/// <summary>
/// The request fields that change an assemble answer, after validation and the workspace's clamps: two
/// requests with equal fields over the same workspace state get the same answer.
/// </summary>
internal sealed record AssembleCacheRequest(
    string Query,
    int MaxTokens,
    int MaxDocuments,
    RetrievalMode Mode,
    string? Solver,
    bool IncludeContent,
    bool Explain,
    string? ModelId,
    float[]? QueryEmbedding);
