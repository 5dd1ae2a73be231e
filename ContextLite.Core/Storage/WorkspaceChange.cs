namespace ContextLite.Storage;

/// <summary>
/// What one committed write changed in a workspace's chunks, raised after the commit so that in-memory
/// indexes (vectors, caches) and the embedding queue can follow without re-reading the database.
/// </summary>
/// <param name="Workspace">The workspace.</param>
/// <param name="RemovedChunks">Chunk ids that no longer exist.</param>
/// <param name="AddedChunks">New chunk ids (they need embeddings unless listed in <paramref name="Embedded"/>).</param>
/// <param name="Embedded">Chunks whose vectors were written by this change (bring-your-own or computed).</param>
/// <param name="Version">The workspace version after the change.</param>
public sealed record WorkspaceChange(
    string Workspace,
    IReadOnlyList<long> RemovedChunks,
    IReadOnlyList<long> AddedChunks,
    IReadOnlyList<(long ChunkId, float[] Vector)> Embedded,
    long Version);
