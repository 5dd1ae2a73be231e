namespace ContextLite.Client.Contracts;

/// <summary>The seed's <c>search(query, {maxResults, ...})</c> options.</summary>
public sealed record SearchOptions
{
    /// <summary>How many chunks.</summary>
    public int MaxResults { get; init; } = 10;

    /// <summary><c>auto</c> (server default), <c>lexical</c>, <c>semantic</c> or <c>hybrid</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Whether hits carry their text.</summary>
    public bool IncludeContent { get; init; } = true;

    /// <summary>A workspace for this call instead of the client's.</summary>
    public string? Workspace { get; init; }
}
