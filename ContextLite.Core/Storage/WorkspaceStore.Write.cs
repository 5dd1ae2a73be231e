using System.Globalization;
using ContextLite.Text;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    /// <summary>Raised after each committed write that changed chunks or vectors (on the writer's thread).</summary>
    public event Action<WorkspaceChange>? Changed;

    private const string ExistingColumns =
        "id, path, content_hash, metadata, version, tokens, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = documents.id)";

    private const string SelectById = $"SELECT {ExistingColumns} FROM documents WHERE id = $id";
    private const string SelectByPath = $"SELECT {ExistingColumns} FROM documents WHERE path = $path";

    private const string DeleteChunksFromIndex = """
        INSERT INTO chunks_fts(chunks_fts, rowid, text, path)
        SELECT 'delete', c.id, c.text, d.path FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.doc_id = $id
        """;

    private const string DeleteChunks = "DELETE FROM chunks WHERE doc_id = $id";
    private const string DeleteDocument = "DELETE FROM documents WHERE id = $id";

    private const string InsertDocument = """
        INSERT INTO documents(id, path, content, content_hash, tokens, metadata, created_at, updated_at, version, seq)
        VALUES($id, $path, $content, $hash, $tokens, $metadata, $now, $now, 1, $seq)
        """;

    private const string UpdateDocument = """
        UPDATE documents SET path = $path, content = $content, content_hash = $hash, tokens = $tokens,
            metadata = $metadata, updated_at = $now, version = version + 1, seq = $seq
        WHERE id = $id
        """;

    // No RETURNING: through Microsoft.Data.Sqlite an INSERT ... RETURNING run as a reader cost ~110 µs a row against
    // ~8 µs for the plain insert and sqlite3_last_insert_rowid (measured on the ingest benchmark's chunks), the
    // largest single cost of an ingest.
    private const string InsertChunk = """
        INSERT INTO chunks(doc_id, ordinal, start_line, end_line, text, tokens)
        VALUES($doc, $ordinal, $start, $end, $text, $tokens)
        """;

    private const string InsertChunkIntoIndex = "INSERT INTO chunks_fts(rowid, text, path) VALUES($rowid, $text, $path)";

    /// <summary>Adds or updates one document.</summary>
    public async Task<UpsertResult> UpsertAsync(DocumentInput input, CancellationToken cancellationToken = default) =>
        (await UpsertAsync([input], atomic: true, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Adds or updates a batch of documents in one transaction; a failing item leaves no trace. With
    /// <paramref name="atomic"/>, any failure rolls back the whole batch (the other items report that they were not
    /// written).
    /// </summary>
    public async Task<IReadOnlyList<UpsertResult>> UpsertAsync(
        IReadOnlyList<DocumentInput> inputs, bool atomic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var results = new UpsertResult[inputs.Count];
        var prepared = new Prepared?[inputs.Count];

        // Validation, hashing and chunking are CPU work, done outside the single writer on every core (items are
        // independent; chunking was half of a bulk ingest's CPU time).
        var known = ReadKnownHashes(inputs);

        // A non-atomic batch that finds the write lock free writes while its items are still being prepared. Behind
        // another batch it prepares everything first, so that concurrent writers hold the lock for their writes only;
        // an atomic batch must know every item valid before it writes.
        if (!atomic && inputs.Count > 1 && _writeLock.Wait(0, CancellationToken.None))
        {
            return await WritePipelinedAsync(inputs, known, results, prepared, cancellationToken).ConfigureAwait(false);
        }

        if (inputs.Count > 1)
        {
            var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.For(0, inputs.Count, parallel, i => PrepareItem(inputs, i, known, results, prepared));
        }
        else if (inputs.Count == 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PrepareItem(inputs, 0, known, results, prepared);
        }

        if (atomic && results.Any(r => r is not null))
        {
            return FailRest(results, prepared, "Not written: another item of this request was rejected.");
        }

        // Optimistic first, without a savepoint per item; see WriteBatch.
        return await WriteLockedAsync(
            () => WriteBatch(prepared, results, atomic, savepoints: false) ?? WriteBatch(prepared, results, atomic, savepoints: true)!,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a non-atomic batch under the write lock, which the caller has taken and this releases, while the items
    /// are prepared in order by the writer itself and cores − 1 helpers: each item is applied as soon as it is ready,
    /// so the preparation of later items overlaps the writes of earlier ones.
    /// </summary>
    private async Task<IReadOnlyList<UpsertResult>> WritePipelinedAsync(
        IReadOnlyList<DocumentInput> inputs, HashSet<string> known, UpsertResult[] results, Prepared?[] prepared, CancellationToken cancellationToken)
    {
        PreparationPipeline? pipeline = null;
        try
        {
            ThrowIfDeleted();
            pipeline = PreparationPipeline.Start(
                inputs.Count, Environment.ProcessorCount - 1, i => PrepareItem(inputs, i, known, results, prepared), cancellationToken);
            return WriteBatch(prepared, results, atomic: false, savepoints: false, pipeline.WaitFor)
                ?? WriteBatch(prepared, results, atomic: false, savepoints: true, pipeline.WaitFor)!;
        }
        finally
        {
            _writeLock.Release();

            // The helpers write into the arrays: never leave them running past the call. A failure of theirs has
            // reached the writer through WaitFor already.
            if (pipeline is not null)
            {
                await pipeline.CompletionAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes a document and its chunks; false when there was none with that id.</summary>
    public async Task<bool> DeleteDocumentAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            using var writer = new Writer(connection, transaction);
            if (!writer.Delete(id))
            {
                return false;
            }

            writer.SaveSeq();
            var version = ParseLong(WorkspaceSchema.ReadMetaValue(connection, transaction, "version")) + 1;
            WorkspaceSchema.WriteMetaValue(connection, transaction, "version", version.ToString(CultureInfo.InvariantCulture));
            WorkspaceSchema.WriteMetaValue(connection, transaction, "updated_at", NowUnixMs().ToString(CultureInfo.InvariantCulture));
            transaction.Commit();
            Raise(writer, version);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    // Returns an error only before its first write: WriteBatch applies items without a savepoint and relies on it.
    private UpsertResult Apply(Writer writer, int index, Prepared item, long now)
    {
        var input = item.Input;
        var existing = input.Id is not null ? writer.Find(SelectById, "$id", input.Id) : writer.Find(SelectByPath, "$path", input.Path);
        var id = input.Id ?? existing?.Id ?? DocumentRules.DeriveId(input.Path);
        existing ??= input.Id is null ? writer.Find(SelectById, "$id", id) : null;

        if (existing is null || existing.Path != input.Path)
        {
            var owner = writer.Find(SelectByPath, "$path", input.Path);
            if (owner is not null && owner.Id != id)
            {
                return UpsertResult.Failed(index, id, input.Path,
                    $"Path '{input.Path}' belongs to document '{owner.Id}'; send that id to update it, or delete it first.", conflict: true);
            }
        }

        if (existing is not null && existing.Hash == item.Hash && existing.Path == input.Path
            && string.Equals(existing.Metadata, input.MetadataJson, StringComparison.Ordinal))
        {
            if (input.Embedding is { } same)
            {
                writer.SetEmbeddings(writer.ChunkIdsOf(id), same, input.EmbeddingModel);
            }

            return new UpsertResult(index, id, input.Path, UpsertStatus.Unchanged, existing.Version, existing.Chunks, existing.Tokens);
        }

        var (chunks, tokens) = item.Chunks ?? Prepare(input.Content);
        if (existing is null)
        {
            writer.Insert(id, input, item.Hash, tokens, now);
        }
        else
        {
            writer.RemoveChunks(id);
            writer.Update(id, input, item.Hash, tokens, now);
        }

        var added = writer.AddChunks(id, input.Path, chunks);
        if (input.Embedding is { } vector)
        {
            writer.SetEmbeddings(added, vector, input.EmbeddingModel);
        }

        return new UpsertResult(
            index, id, input.Path, existing is null ? UpsertStatus.Added : UpsertStatus.Updated,
            existing is null ? 1 : existing.Version + 1, chunks.Count, tokens);
    }

    private void Raise(Writer writer, long version)
    {
        _terms.OnChunksChanged(writer.Removed.Count + writer.Added.Count);
        if (writer.Removed.Count + writer.Added.Count + writer.Embedded.Count > 0)
        {
            Changed?.Invoke(new WorkspaceChange(Id.Value, [.. writer.Removed], [.. writer.Added], [.. writer.Embedded], version));
        }
    }

    private (IReadOnlyList<Chunk> Chunks, int Tokens) Prepare(string content) => _chunker.SplitAndCount(content);

    private void PrepareItem(IReadOnlyList<DocumentInput> inputs, int i, HashSet<string> known, UpsertResult[] results, Prepared?[] prepared)
    {
        var input = inputs[i];
        var error = DocumentRules.Validate(input, _options);
        if (error is not null)
        {
            results[i] = UpsertResult.Failed(i, input.Id, input.Path, error);
            return;
        }

        var hash = DocumentRules.ContentHash(input.Content);
        var unchanged = known.Contains(hash + "\n" + (input.Id ?? input.Path));
        prepared[i] = new Prepared(input, hash, unchanged ? null : Prepare(input.Content));
    }

    // Pairs of "hash\nkey" for documents that already exist, keyed by id or (without an id) by path, so that
    // re-sending unchanged documents costs a lookup instead of a re-chunking.
    private HashSet<string> ReadKnownHashes(IReadOnlyList<DocumentInput> inputs)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        using var connection = Open();
        using var byId = connection.CreateCommand();
        byId.CommandText = "SELECT content_hash FROM documents WHERE id = $key";
        var idKey = byId.Parameters.Add("$key", SqliteType.Text);
        using var byPath = connection.CreateCommand();
        byPath.CommandText = "SELECT content_hash FROM documents WHERE path = $key";
        var pathKey = byPath.Parameters.Add("$key", SqliteType.Text);

        foreach (var input in inputs)
        {
            var (command, parameter, key) = input.Id is not null ? (byId, idKey, input.Id) : (byPath, pathKey, input.Path);
            if (key is null)
            {
                continue;
            }

            parameter.Value = key;
            if (command.ExecuteScalar() is string hash)
            {
                known.Add(hash + "\n" + key);
            }
        }

        return known;
    }

    private static UpsertResult[] FailRest(UpsertResult?[] results, Prepared?[] prepared, string reason)
    {
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] is null or { Status: not UpsertStatus.Error })
            {
                var input = prepared[i]?.Input;
                results[i] = UpsertResult.Failed(i, input?.Id, input?.Path, reason);
            }
        }

        return results!;
    }

    private sealed record Prepared(DocumentInput Input, string Hash, (IReadOnlyList<Chunk> Chunks, int Tokens)? Chunks);
}
