namespace ContextLite.Storage;

/// <summary>The outcome of one item of an upsert batch.</summary>
/// <param name="Index">The item's position in the batch.</param>
/// <param name="Id">The document id (assigned or given), when known.</param>
/// <param name="Path">The document path, when known.</param>
/// <param name="Status">What happened.</param>
/// <param name="Version">The document's version after the write (1 for a new document).</param>
/// <param name="Chunks">How many chunks the document has.</param>
/// <param name="Tokens">The document's token count.</param>
/// <param name="Error">Why the item was rejected, when <paramref name="Status"/> is <see cref="UpsertStatus.Error"/>.</param>
/// <param name="Conflict">True when the rejection is a conflict with stored data (e.g. a path owned by another id).</param>
public sealed record UpsertResult(
    int Index,
    string? Id,
    string? Path,
    UpsertStatus Status,
    long Version = 0,
    int Chunks = 0,
    int Tokens = 0,
    string? Error = null,
    bool Conflict = false)
{
    internal static UpsertResult Failed(int index, string? id, string? path, string error, bool conflict = false) =>
        new(index, id, path, UpsertStatus.Error, Error: error, Conflict: conflict);
}
