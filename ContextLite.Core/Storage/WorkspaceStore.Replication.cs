using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    private const string ChangesSince = """
        SELECT seq, id, 0, path, content, metadata, version FROM documents WHERE seq > $since
        UNION ALL
        SELECT seq, id, 1, NULL, NULL, NULL, 0 FROM tombstones WHERE seq > $since
        ORDER BY 1 LIMIT $limit
        """;

    private const string VectorsOfDocument = """
        SELECT e.vec FROM chunks c LEFT JOIN embeddings e ON e.chunk_id = c.id WHERE c.doc_id = $id ORDER BY c.ordinal
        """;

    /// <summary>The sequence number of the last committed document change (0 for none).</summary>
    public long ReplicationHead()
    {
        using var connection = Open();
        return ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "seq"));
    }

    /// <summary>
    /// Changes after <paramref name="since"/> in sequence order: the current state of each document changed since
    /// then (with its chunk vectors when every chunk has one), and a tombstone for each deleted one.
    /// </summary>
    /// <param name="since">The last sequence number the reader has applied; 0 reads a full snapshot.</param>
    /// <param name="maxItems">At most this many changes.</param>
    /// <param name="maxBytes">Stop after the change that passes this many bytes of content and vectors (at least one is returned).</param>
    public ChangeBatch ReadChanges(long since, int maxItems, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(since);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        var model = WorkspaceSchema.ReadMetaValue(connection, transaction, "embedding_model");
        var head = ParseLong(WorkspaceSchema.ReadMetaValue(connection, transaction, "seq"));
        using var vectors = connection.CreateCommand();
        vectors.Transaction = transaction;
        vectors.CommandText = VectorsOfDocument;
        var idParameter = vectors.Parameters.Add("$id", SqliteType.Text);

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ChangesSince;
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$limit", maxItems + 1);
        var changes = new List<DocumentChange>();
        long bytes = 0;
        var more = false;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (changes.Count == maxItems || (changes.Count > 0 && bytes >= maxBytes))
            {
                more = true;
                break;
            }

            var seq = reader.GetInt64(0);
            var id = reader.GetString(1);
            if (reader.GetInt64(2) == 1)
            {
                changes.Add(new DocumentChange(seq, id, Deleted: true, null, null, null, 0, null, null));
                bytes += id.Length;
                continue;
            }

            var content = reader.GetString(4);
            idParameter.Value = id;
            var chunkVectors = ReadDocumentVectors(vectors);
            bytes += content.Length * 2L + (chunkVectors?.Sum(v => v.Length * 4L) ?? 0);
            changes.Add(new DocumentChange(
                seq, id, Deleted: false, reader.GetString(3), content, reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt64(6), chunkVectors, chunkVectors is null ? null : model));
        }

        // Through the head when nothing more is waiting; else through the last change returned.
        return new ChangeBatch(changes, head, more ? changes[^1].Seq : Math.Max(head, since));
    }

    /// <summary>Where this copy of the workspace follows its primary from (all zero/null on a primary or a fresh copy).</summary>
    public ReplicaPosition ReadReplicaPosition()
    {
        using var connection = Open();
        return new ReplicaPosition(
            WorkspaceSchema.ReadMetaValue(connection, null, "replica_source"),
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "replica_applied")),
            WorkspaceSchema.ReadMetaValue(connection, null, "replica_resync_floor") is { } floor ? ParseLong(floor) : null);
    }

    /// <summary>
    /// Starts following <paramref name="source"/> from a full snapshot: every document the snapshot does not touch
    /// (its local sequence number stays at or below today's head, the floor) is deleted when the snapshot completes.
    /// </summary>
    public Task BeginResyncAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var head = ParseLong(WorkspaceSchema.ReadMetaValue(connection, transaction, "seq"));
            WorkspaceSchema.WriteMetaValue(connection, transaction, "replica_source", source);
            WorkspaceSchema.WriteMetaValue(connection, transaction, "replica_applied", "0");
            WorkspaceSchema.WriteMetaValue(connection, transaction, "replica_resync_floor", head.ToString(CultureInfo.InvariantCulture));
            transaction.Commit();
            return true;
        }, cancellationToken);
    }

    /// <summary>Stops following a primary (this copy became the primary): its own sequence numbers are the log now.</summary>
    public Task ClearReplicaPositionAsync(CancellationToken cancellationToken = default) =>
        WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM meta WHERE key IN ('replica_source', 'replica_applied', 'replica_resync_floor')";
            command.ExecuteNonQuery();
            transaction.Commit();
            return true;
        }, cancellationToken);

    /// <summary>
    /// Applies changes read from the primary's <see cref="ReadChanges"/>, in one transaction with the new position,
    /// so a crash leaves either all of them and the position or neither. Idempotent: a change already applied is a
    /// no-op (same content, path and metadata), so replaying a batch after a crash or a retry changes nothing.
    /// </summary>
    /// <param name="source">The primary and epoch followed (<c>node/epoch</c>); must match <see cref="BeginResyncAsync"/>'s.</param>
    /// <param name="changes">Changes in sequence order.</param>
    /// <param name="appliedThrough">The primary's sequence number these changes reach.</param>
    /// <param name="reachedHead">True when they reach the primary's head: completes a snapshot (drops what it did not touch).</param>
    /// <param name="cancellationToken">Cancels waiting for the write lock.</param>
    /// <returns>How many documents changed here.</returns>
    public Task<int> ApplyChangesAsync(
        string source, IReadOnlyList<DocumentChange> changes, long appliedThrough, bool reachedHead, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(changes);
        var prepared = changes
            .Select(c => c.Deleted ? ((string, (IReadOnlyList<Text.Chunk>, int)))default : (DocumentRules.ContentHash(c.Content!), Prepare(c.Content!)))
            .ToList();
        return WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            using var writer = new Writer(connection, transaction);
            var current = WorkspaceSchema.ReadMetaValue(connection, transaction, "replica_source");
            if (!string.Equals(current, source, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"This copy follows '{current ?? "nothing"}', not '{source}'; begin a resync first.");
            }

            var floorText = WorkspaceSchema.ReadMetaValue(connection, transaction, "replica_resync_floor");
            long? floor = floorText is null ? null : ParseLong(floorText);
            var now = NowUnixMs();
            var changed = 0;
            for (var i = 0; i < changes.Count; i++)
            {
                if (ApplyOne(writer, changes[i], prepared[i], floor, now))
                {
                    changed++;
                }
            }

            if (reachedHead && floor is { } sweepBelow)
            {
                // The snapshot is complete: whatever it did not touch no longer exists on the primary.
                foreach (var stale in StaleDocuments(connection, transaction, sweepBelow))
                {
                    writer.Delete(stale);
                    changed++;
                }

                using var clear = connection.CreateCommand();
                clear.Transaction = transaction;
                clear.CommandText = "DELETE FROM meta WHERE key = 'replica_resync_floor'";
                clear.ExecuteNonQuery();
            }

            writer.SaveSeq();
            WorkspaceSchema.WriteMetaValue(connection, transaction, "replica_applied", appliedThrough.ToString(CultureInfo.InvariantCulture));
            var version = ParseLong(WorkspaceSchema.ReadMetaValue(connection, transaction, "version"));
            if (changed > 0)
            {
                version += changed;
                WorkspaceSchema.WriteMetaValue(connection, transaction, "version", version.ToString(CultureInfo.InvariantCulture));
                WorkspaceSchema.WriteMetaValue(connection, transaction, "updated_at", now.ToString(CultureInfo.InvariantCulture));
            }

            transaction.Commit();
            Raise(writer, version);
            return changed;
        }, cancellationToken);
    }

    private bool ApplyOne(Writer writer, DocumentChange change, (string Hash, (IReadOnlyList<Text.Chunk> Chunks, int Tokens) Chunks) prepared, long? floor, long now)
    {
        var existing = writer.Find(SelectById, "$id", change.Id);
        if (change.Deleted)
        {
            return existing is not null && writer.Delete(change.Id);
        }

        var (hash, (chunks, tokens)) = prepared;
        if (existing is not null && existing.Hash == hash && existing.Path == change.Path
            && string.Equals(existing.Metadata, change.MetadataJson, StringComparison.Ordinal))
        {
            if (floor is not null)
            {
                // Touched by the snapshot: lift it above the floor so completing the snapshot keeps it.
                writer.Run("UPDATE documents SET seq = $seq WHERE id = $id AND seq <= $floor", ("$seq", writer.NextSeq()), ("$id", change.Id), ("$floor", floor.Value));
            }

            return false;
        }

        // Changes arrive as current states in sequence order, so another document may still hold this path here
        // (it moved away or was deleted later on the primary, and that later change is further on in the stream).
        var owner = writer.Find(SelectByPath, "$path", change.Path!);
        if (owner is not null && owner.Id != change.Id)
        {
            writer.Delete(owner.Id);
        }

        var input = new DocumentInput(change.Id, change.Path!, change.Content!, change.MetadataJson);
        if (existing is null)
        {
            writer.Insert(change.Id, input, hash, tokens, now);
        }
        else
        {
            writer.RemoveChunks(change.Id);
            writer.Update(change.Id, input, hash, tokens, now);
        }

        writer.Run("UPDATE documents SET version = $version WHERE id = $id", ("$version", Math.Max(1, change.Version)), ("$id", change.Id));
        var added = writer.AddChunks(change.Id, change.Path!, chunks);
        if (change.Vectors is { } vectors && vectors.Count == added.Count && change.EmbeddingModel is { } model)
        {
            for (var i = 0; i < added.Count; i++)
            {
                writer.SetEmbeddings([added[i]], vectors[i], model);
            }
        }

        return true;
    }

    private static List<string> StaleDocuments(SqliteConnection connection, SqliteTransaction transaction, long floor)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM documents WHERE seq <= $floor";
        command.Parameters.AddWithValue("$floor", floor);
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static List<float[]>? ReadDocumentVectors(SqliteCommand vectors)
    {
        var list = new List<float[]>();
        using var reader = vectors.ExecuteReader();
        while (reader.Read())
        {
            if (reader.IsDBNull(0))
            {
                return null;
            }

            list.Add(VectorBlob.FromBytes((byte[])reader.GetValue(0)));
        }

        return list.Count == 0 ? null : list;
    }
}

/// <summary>One entry of a workspace's replication log: a document's state after its last change, or its tombstone.</summary>
/// <param name="Seq">The primary's sequence number of the change.</param>
/// <param name="Id">The document id.</param>
/// <param name="Deleted">True for a tombstone (only <paramref name="Id"/> is set).</param>
/// <param name="Path">The document path.</param>
/// <param name="Content">The document text.</param>
/// <param name="MetadataJson">Its metadata, verbatim.</param>
/// <param name="Version">The document's version on the primary.</param>
/// <param name="Vectors">One vector per chunk in order, when every chunk had one; else the replica embeds them itself.</param>
/// <param name="EmbeddingModel">The model of <paramref name="Vectors"/>.</param>
public sealed record DocumentChange(
    long Seq, string Id, bool Deleted, string? Path, string? Content, string? MetadataJson, long Version,
    IReadOnlyList<float[]>? Vectors, string? EmbeddingModel);

/// <summary>A page of the replication log.</summary>
/// <param name="Changes">The changes, in sequence order.</param>
/// <param name="Head">The log's last sequence number when it was read.</param>
/// <param name="Through">The sequence number a reader has reached once it applied <paramref name="Changes"/>: the head when they are all.</param>
public sealed record ChangeBatch(IReadOnlyList<DocumentChange> Changes, long Head, long Through)
{
    /// <summary>True when a reader that applies this batch is caught up with the head it was read at.</summary>
    public bool ReachesHead => Through >= Head;
}

/// <summary>Where a copy of a workspace follows its primary from.</summary>
/// <param name="Source">The primary and epoch followed, <c>node/epoch</c>; null when this copy follows nobody.</param>
/// <param name="Applied">The primary's sequence number applied up to.</param>
/// <param name="ResyncFloor">Set while a snapshot is being applied: local documents at or below it that it does not touch are dropped at its end.</param>
public sealed record ReplicaPosition(string? Source, long Applied, long? ResyncFloor);
