namespace ContextLite.Search;

/// <summary>
/// One passage of an assembled context: one chunk, or adjacent chunks of a document merged. Candidates with
/// the same text that were not chosen are listed in <c>Duplicates</c>, so the context cites every place the
/// content lives without spending tokens on it twice.
/// </summary>
public sealed record AssembledPassage(
    string DocumentId,
    string Path,
    int StartLine,
    int EndLine,
    string Content,
    int Tokens,
    double Relevance,
    float? LexicalScore,
    float? SemanticScore,
    int Cluster,
    IReadOnlyList<long> ChunkIds,
    string Reason,
    IReadOnlyList<DuplicateSource> Duplicates);

/// <summary>A candidate left out because its text is (nearly) identical to a chosen passage: cited, not repeated.</summary>
public sealed record DuplicateSource(string DocumentId, string Path, int StartLine, int EndLine, double Similarity);
