namespace ContextLite.Search;

/// <summary>What context to assemble.</summary>
/// <param name="Query">The question.</param>
/// <param name="MaxTokens">The token budget of the whole context.</param>
/// <param name="MaxDocuments">The most chunks the context may hold (adjacent chunks merged into one passage count once each).</param>
/// <param name="Mode">Retrieval mode.</param>
/// <param name="Solver">Solver name, or null for the configured default.</param>
/// <param name="Explain">Report the redundancy penalties between chosen and rejected candidates.</param>
/// <param name="QueryEmbedding">A bring-your-own query vector.</param>
public sealed record AssembleRequest(
    string Query,
    int MaxTokens,
    int MaxDocuments,
    RetrievalMode Mode = RetrievalMode.Auto,
    string? Solver = null,
    bool Explain = false,
    float[]? QueryEmbedding = null);
