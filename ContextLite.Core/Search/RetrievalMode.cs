namespace ContextLite.Search;

/// <summary>Which retrieval stages a query uses.</summary>
public enum RetrievalMode
{
    /// <summary>Route by lexical confidence (smt / smt+residual / cluster).</summary>
    Auto,

    /// <summary>BM25 only.</summary>
    Lexical,

    /// <summary>Vectors only.</summary>
    Semantic,

    /// <summary>BM25 and a full vector search, fused.</summary>
    Hybrid,
}
