namespace ContextLite.Client;

/// <summary>The body of <c>POST /api/v1/search</c>.</summary>
internal sealed record SearchRequest(string Query, int K, string? Mode, bool IncludeContent);
