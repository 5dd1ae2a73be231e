namespace ContextLite.Storage;

/// <summary>What a workspace holds and what it costs.</summary>
public sealed record WorkspaceStats(
    string Id,
    long Documents,
    long Chunks,
    long Tokens,
    long BytesOnDisk,
    long Version,
    int SchemaVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? LastAccess);
