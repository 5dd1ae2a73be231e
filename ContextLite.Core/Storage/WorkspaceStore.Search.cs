using System.Globalization;
using System.Text;
using ContextLite.Search;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    /// <summary>
    /// The best <paramref name="limit"/> chunks for an FTS5 expression by BM25 (text weighted 1, path 0.5),
    /// best first; scores are positive (FTS5's bm25() is negated).
    /// </summary>
    public IReadOnlyList<ScoredId> SearchLexical(string ftsExpression, int limit)
    {
        ArgumentNullException.ThrowIfNull(ftsExpression);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, -bm25(chunks_fts, 1.0, 0.5) AS score FROM chunks_fts WHERE chunks_fts MATCH $q ORDER BY bm25(chunks_fts, 1.0, 0.5) LIMIT $limit";
        command.Parameters.AddWithValue("$q", ftsExpression);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var hits = new List<ScoredId>(Math.Min(limit, 1024));
        while (reader.Read())
        {
            hits.Add(new ScoredId(reader.GetInt64(0), (float)reader.GetDouble(1)));
        }

        return hits;
    }

    /// <summary>The chunks with the given ids (missing ones are left out), keyed by id.</summary>
    public Dictionary<long, ChunkView> GetChunks(IReadOnlyCollection<long> ids, bool includeText)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var chunks = new Dictionary<long, ChunkView>(ids.Count);
        if (ids.Count == 0)
        {
            return chunks;
        }

        var list = new StringBuilder("[");
        foreach (var id in ids)
        {
            list.Append(id.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        list[^1] = ']';
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT c.id, c.doc_id, d.path, c.ordinal, c.start_line, c.end_line, c.tokens, {(includeText ? "c.text" : "NULL")}
            FROM chunks c JOIN documents d ON d.id = c.doc_id
            WHERE c.id IN (SELECT value FROM json_each($ids))
            """;
        command.Parameters.AddWithValue("$ids", list.ToString());
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var view = new ChunkView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7));
            chunks[view.Id] = view;
        }

        return chunks;
    }

    /// <summary>The number of chunks in the workspace.</summary>
    public long ChunkCount()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM chunks";
        return (long)command.ExecuteScalar()!;
    }
}
