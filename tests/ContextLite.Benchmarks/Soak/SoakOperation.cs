namespace ContextLite.Benchmarks.Soak;

/// <summary>One finished request: what it was, how it ended and how long it took.</summary>
internal readonly record struct SoakOperation(string Kind, string Workspace, int Status, double Milliseconds, long Tokens, TimeSpan At);
