namespace ContextLite.Client;

/// <summary>The body of <c>POST /api/v1/assemble</c>.</summary>
internal sealed record AssembleRequest(string Query, int MaxTokens, int MaxDocuments, string? Mode, bool IncludeContent, bool Explain);
