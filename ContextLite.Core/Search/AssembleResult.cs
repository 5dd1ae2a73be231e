using ContextLite.Selection;

namespace ContextLite.Search;

/// <summary>An assembled context and everything needed to trust or question it.</summary>
public sealed record AssembleResult(
    IReadOnlyList<AssembledPassage> Passages,
    int TotalTokens,
    RetrievalResult Retrieval,
    SelectionResult Selection,
    int Candidates,
    IReadOnlyList<RedundancyPenalty>? Penalties);
