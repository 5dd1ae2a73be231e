using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    // Derived data that must only ever describe chunks that exist. Foreign keys cascade deletes, but only on
    // connections that turned them on; a row found here means a write path forgot, or a file was edited by hand.
    private const string OrphanEmbeddings = "SELECT count(*) FROM embeddings e WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.id = e.chunk_id)";
    private const string OrphanAssignments = "SELECT count(*) FROM chunk_cluster a WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.id = a.chunk_id)";
    private const string DanglingAssignments = "SELECT count(*) FROM chunk_cluster a WHERE NOT EXISTS (SELECT 1 FROM clusters k WHERE k.cluster_id = a.cluster_id)";
    private const string WrongSizeEmbeddings = "SELECT count(*) FROM embeddings WHERE length(vec) <> $bytes";
    private const string DeleteOrphanEmbeddings = "DELETE FROM embeddings WHERE chunk_id NOT IN (SELECT id FROM chunks)";
    private const string DeleteWrongSizeEmbeddings = "DELETE FROM embeddings WHERE length(vec) <> $bytes";
    private const string DeleteOrphanAssignments =
        "DELETE FROM chunk_cluster WHERE chunk_id NOT IN (SELECT id FROM chunks) OR cluster_id NOT IN (SELECT cluster_id FROM clusters)";

    /// <summary>
    /// Checks the database, the lexical index, the chunk/document agreement and the vector index (every vector and
    /// cluster assignment belongs to an existing chunk and has the workspace's dimension); returns the problems found.
    /// </summary>
    /// <remarks>Chunks not yet embedded are not a problem: the embedding worker backfills them after a restart.</remarks>
    public async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        return await WriteLockedAsync(() =>
        {
            var problems = new List<string>();
            using var connection = Open();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check";
                using var reader = check.ExecuteReader();
                while (reader.Read())
                {
                    var line = reader.GetString(0);
                    if (line != "ok")
                    {
                        problems.Add("sqlite: " + line);
                    }
                }
            }

            try
            {
                using var fts = connection.CreateCommand();
                fts.CommandText = "INSERT INTO chunks_fts(chunks_fts, rank) VALUES('integrity-check', 1)";
                fts.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                problems.Add("lexical index: " + ex.Message);
            }

            using (var docs = connection.CreateCommand())
            {
                docs.CommandText = """
                    SELECT d.id, d.content, COALESCE((SELECT group_concat(text, '') FROM
                        (SELECT text FROM chunks WHERE doc_id = d.id ORDER BY ordinal)), '')
                    FROM documents d
                    """;
                using var reader = docs.ExecuteReader();
                while (reader.Read())
                {
                    if (!string.Equals(reader.GetString(1), reader.GetString(2), StringComparison.Ordinal))
                    {
                        problems.Add($"document '{reader.GetString(0)}': chunks do not reassemble to its content");
                    }
                }
            }

            AddCount(problems, connection, OrphanEmbeddings, null, "vector index: {0} vectors belong to no chunk");
            AddCount(problems, connection, OrphanAssignments, null, "vector index: {0} cluster assignments belong to no chunk");
            AddCount(problems, connection, DanglingAssignments, null, "vector index: {0} cluster assignments name a missing cluster");
            if (ReadModel(connection, null) is { } model)
            {
                AddCount(problems, connection, WrongSizeEmbeddings, model.Dimension * sizeof(float), $"vector index: {{0}} vectors are not {model.Dimension}-dimensional");
            }

            return problems;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds the lexical index from the chunks (repairs what <see cref="VerifyAsync"/> reports).</summary>
    public async Task RebuildLexicalIndexAsync(CancellationToken cancellationToken = default)
    {
        await WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var rebuild = connection.CreateCommand();
            rebuild.CommandText = "INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')";
            rebuild.ExecuteNonQuery();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rebuilds every derived index from the documents and chunks, in one transaction: the lexical index is rebuilt,
    /// vectors and cluster assignments that describe no chunk (or have the wrong size) are dropped, so the embedding
    /// worker recomputes what is missing the next time the node runs. Documents and chunks are never touched.
    /// </summary>
    public async Task RepairDerivedIndexesAsync(CancellationToken cancellationToken = default)
    {
        await WriteLockedAsync(() =>
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var model = ReadModel(connection, transaction);
            Execute(connection, transaction, "INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')", null);
            Execute(connection, transaction, DeleteOrphanEmbeddings, null);
            if (model is { } m)
            {
                Execute(connection, transaction, DeleteWrongSizeEmbeddings, m.Dimension * sizeof(float));
            }

            Execute(connection, transaction, DeleteOrphanAssignments, null);
            transaction.Commit();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void AddCount(List<string> problems, SqliteConnection connection, string sql, int? bytes, string format)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (bytes is { } b)
        {
            command.Parameters.AddWithValue("$bytes", b);
        }

        var count = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (count > 0)
        {
            problems.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, count));
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, int? bytes)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (bytes is { } b)
        {
            command.Parameters.AddWithValue("$bytes", b);
        }

        command.ExecuteNonQuery();
    }
}
