namespace ContextLite.Storage;

/// <summary>A stored document.</summary>
public sealed record DocumentRecord(
    string Id,
    string Path,
    string? Content,
    string ContentHash,
    int Tokens,
    int ChunkCount,
    string? MetadataJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    IReadOnlyList<ChunkRecord>? Chunks = null);
