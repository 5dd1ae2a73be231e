namespace ContextLite.Client;

/// <summary>An RFC 7807 problem.</summary>
internal sealed record ProblemBody(string? Title, string? Detail, int? Status);
