namespace ContextLite.Storage;

/// <summary>A stored chunk of a document.</summary>
public sealed record ChunkRecord(long Id, int Ordinal, int StartLine, int EndLine, int Tokens, string? Text);
