namespace ContextLite.Client.Contracts;

/// <summary>An assembled context: the chosen passages and how they were chosen.</summary>
public sealed record AssembleResult(
    string Workspace,
    string Query,
    IReadOnlyList<ContextPassage> Documents,
    int TotalTokens,
    int DocumentCount,
    string Route,
    double Confidence,
    SolverInfo Solver,
    string NodeId,
    string? Note);

/// <summary>One passage: a line range of a document.</summary>
public sealed record ContextPassage(
    string Id, string Path, int StartLine, int EndLine, string? Content, int Tokens, double Relevance, string? Reason);

/// <summary>Which solver chose the passages and what it proved.</summary>
public sealed record SolverInfo(string Name, string Status, double Objective, double? Bound, double? Gap, double ElapsedMs, int Candidates);
