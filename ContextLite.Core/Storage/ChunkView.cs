namespace ContextLite.Storage;

/// <summary>A chunk with its document's id and path, as the query path needs it.</summary>
public sealed record ChunkView(long Id, string DocumentId, string Path, int Ordinal, int StartLine, int EndLine, int Tokens, string? Text);
