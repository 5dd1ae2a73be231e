namespace ContextLite.Client.Contracts;

/// <summary>How much context to assemble, and from where.</summary>
public sealed record AssembleOptions
{
    /// <summary>The token budget for all passages together.</summary>
    public int MaxTokens { get; init; } = 4000;

    /// <summary>At most this many passages.</summary>
    public int MaxDocuments { get; init; } = 10;

    /// <summary><c>auto</c> (server default), <c>lexical</c>, <c>semantic</c> or <c>hybrid</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Whether passages carry their text.</summary>
    public bool IncludeContent { get; init; } = true;

    /// <summary>Ask for the redundancy penalties behind the choice.</summary>
    public bool Explain { get; init; }

    /// <summary>A workspace for this call instead of the client's.</summary>
    public string? Workspace { get; init; }
}
