using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

/// <summary>The per-workspace SQLite schema and its forward-only migrations.</summary>
/// <remarks>
/// <c>chunks_fts</c> is an external-content FTS5 index over a view that joins chunk text with the document
/// path, so the text is stored once. External content means SQLite does not maintain the index: every
/// write path removes the old rows (with their old values) and inserts the new ones in the same
/// transaction as the document change. <see cref="WorkspaceStore.VerifyAsync"/> checks that they agree.
/// </remarks>
internal static class WorkspaceSchema
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int CurrentVersion = 3;

    private static readonly string[] s_migrations =
    [
        // 1: documents, chunks, lexical index, meta.
        """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE documents(
            id TEXT PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            content TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            tokens INTEGER NOT NULL,
            metadata TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL);
        CREATE TABLE chunks(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            start_line INTEGER NOT NULL,
            end_line INTEGER NOT NULL,
            text TEXT NOT NULL,
            tokens INTEGER NOT NULL,
            UNIQUE(doc_id, ordinal));
        CREATE VIEW chunks_fts_source AS
            SELECT c.id AS id, c.text AS text, d.path AS path FROM chunks c JOIN documents d ON d.id = c.doc_id;
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, path, content='chunks_fts_source', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2');
        """,

        // 2: vectors and the IVF router. Rows die with their chunk (foreign keys are on per connection).
        """
        CREATE TABLE embeddings(
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            vec BLOB NOT NULL);
        CREATE TABLE clusters(
            cluster_id INTEGER PRIMARY KEY,
            centroid BLOB NOT NULL,
            size INTEGER NOT NULL,
            version INTEGER NOT NULL,
            built_at INTEGER NOT NULL);
        CREATE TABLE chunk_cluster(
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            cluster_id INTEGER NOT NULL);
        CREATE INDEX chunk_cluster_by_cluster ON chunk_cluster(cluster_id);
        """,

        // 3: the replication log. Every committed document change takes the next sequence number (meta 'seq');
        // a document carries the number of its last change and a deleted one leaves a tombstone, so "changes
        // since N" is the current state of everything touched after N: a snapshot when N = 0, a tail otherwise.
        """
        ALTER TABLE documents ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        UPDATE documents SET seq = rowid;
        CREATE INDEX documents_by_seq ON documents(seq);
        CREATE TABLE tombstones(id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX tombstones_by_seq ON tombstones(seq);
        INSERT INTO meta(key, value) SELECT 'seq', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM documents WHERE true
            ON CONFLICT(key) DO UPDATE SET value = excluded.value;
        """,
    ];

    public const string ReadMeta = "SELECT value FROM meta WHERE key = $key";

    public const string WriteMeta =
        "INSERT INTO meta(key, value) VALUES($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";

    /// <summary>Brings a freshly opened database to <see cref="CurrentVersion"/>.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer build.</exception>
    public static void Migrate(SqliteConnection connection, long nowUnixMs)
    {
        using (var wal = connection.CreateCommand())
        {
            // WAL is persistent in the file; set once here so every later connection inherits it.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;";
            create.ExecuteNonQuery();
        }

        var version = int.Parse(ReadMetaValue(connection, transaction, "schema_version") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"Workspace database has schema version {version}; this build understands up to {CurrentVersion}. Upgrade ContextLite.");
        }

        for (var v = version; v < CurrentVersion; v++)
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = s_migrations[v];
            migrate.ExecuteNonQuery();
        }

        if (version == 0)
        {
            WriteMetaValue(connection, transaction, "created_at", nowUnixMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteMetaValue(connection, transaction, "version", "0");
        }

        WriteMetaValue(connection, transaction, "schema_version", CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        transaction.Commit();
    }

    public static string? ReadMetaValue(SqliteConnection connection, SqliteTransaction? transaction, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ReadMeta;
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    public static void WriteMetaValue(SqliteConnection connection, SqliteTransaction transaction, string key, string value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = WriteMeta;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }
}
