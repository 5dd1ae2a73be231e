using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    private const string DocumentColumns = """
        d.id, d.path, d.content_hash, d.tokens, d.metadata, d.created_at, d.updated_at, d.version,
        (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id)
        """;

    /// <summary>A document by id, or null.</summary>
    public Task<DocumentRecord?> GetDocumentAsync(
        string id, bool includeContent = true, bool includeChunks = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DocumentColumns}, {(includeContent ? "d.content" : "NULL")} FROM documents d WHERE d.id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return Task.FromResult<DocumentRecord?>(null);
        }

        var document = ReadDocument(reader, reader.IsDBNull(9) ? null : reader.GetString(9));
        if (includeChunks)
        {
            document = document with { Chunks = ReadChunks(connection, id, includeContent) };
        }

        return Task.FromResult<DocumentRecord?>(document);
    }

    /// <summary>A page of documents ordered by id, after <paramref name="cursor"/> (exclusive).</summary>
    public Task<DocumentPage> ListDocumentsAsync(int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DocumentColumns} FROM documents d WHERE d.id > $cursor ORDER BY d.id LIMIT $limit";
        command.Parameters.AddWithValue("$cursor", cursor ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<DocumentRecord>(Math.Min(limit + 1, 1024));
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(ReadDocument(reader, content: null));
            }
        }

        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = items[^1].Id;
        }

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM documents";
        var total = (long)count.ExecuteScalar()!;
        return Task.FromResult(new DocumentPage(items, total, next));
    }

    /// <summary>How many documents and chunks the workspace holds (two counts, no metadata; for metrics).</summary>
    public (long Documents, long Chunks) CountDocumentsAndChunks()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM chunks)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Counts, size and version of the workspace.</summary>
    public Task<WorkspaceStats> GetStatsAsync(DateTimeOffset? lastAccess, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM chunks),
                   (SELECT COALESCE(SUM(tokens), 0) FROM documents)
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        var updated = WorkspaceSchema.ReadMetaValue(connection, null, "updated_at");
        return Task.FromResult(new WorkspaceStats(
            Id.Value,
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            BytesOnDisk,
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "version")),
            (int)ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "schema_version")),
            FromUnixMs(ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "created_at"))),
            updated is null ? null : FromUnixMs(ParseLong(updated)),
            lastAccess));
    }

    /// <summary>How many chunks the lexical index matches for a raw FTS5 expression (for tests and checks).</summary>
    internal long CountLexicalMatches(string ftsExpression)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH $q";
        command.Parameters.AddWithValue("$q", ftsExpression);
        return (long)command.ExecuteScalar()!;
    }

    private static DocumentRecord ReadDocument(SqliteDataReader reader, string? content) => new(
        reader.GetString(0),
        reader.GetString(1),
        content,
        reader.GetString(2),
        reader.GetInt32(3),
        reader.GetInt32(8),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        FromUnixMs(reader.GetInt64(5)),
        FromUnixMs(reader.GetInt64(6)),
        reader.GetInt64(7));

    private static List<ChunkRecord> ReadChunks(SqliteConnection connection, string id, bool includeText)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, ordinal, start_line, end_line, tokens, {(includeText ? "text" : "NULL")} FROM chunks WHERE doc_id = $id ORDER BY ordinal";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var chunks = new List<ChunkRecord>();
        while (reader.Read())
        {
            chunks.Add(new ChunkRecord(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return chunks;
    }
}
