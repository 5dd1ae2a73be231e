using System.Globalization;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

/// <summary>
/// One workspace's SQLite database: documents, chunks and their lexical index. Thread-safe; writes are
/// serialised per workspace (SQLite has one writer), reads run concurrently on pooled connections.
/// </summary>
/// <remarks>
/// Durability: WAL with <c>synchronous=FULL</c>, so a write is on disk when its transaction commits, and
/// a batch is one transaction (one fsync). An acknowledged write survives a killed process.
/// </remarks>
public sealed partial class WorkspaceStore : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StorageOptions _options;
    private readonly Chunker _chunker;
    private readonly ITokenCounter _counter;
    private readonly TimeProvider _time;
    private readonly string _connectionString;
    private volatile bool _deleted;

    internal WorkspaceStore(WorkspaceId id, string filePath, StorageOptions options, Chunker chunker, ITokenCounter counter, TimeProvider time)
    {
        Id = id;
        FilePath = filePath;
        _options = options;
        _chunker = chunker;
        _counter = counter;
        _time = time;

        // ReadWrite, not ReadWriteCreate: once a workspace is deleted, a late reader must fail rather than
        // silently recreate an empty, schema-less file.
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The workspace.</summary>
    public WorkspaceId Id { get; }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>Bytes on disk: the database and its write-ahead log.</summary>
    public long BytesOnDisk => FileSize(FilePath) + FileSize(FilePath + "-wal");

    /// <summary>Creates or upgrades the database file.</summary>
    internal void Initialize()
    {
        var create = new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        using var connection = new SqliteConnection(create.ToString());
        connection.Open();
        ApplyConnectionPragmas(connection);
        WorkspaceSchema.Migrate(connection, NowUnixMs());
    }

    /// <summary>Checks the database, the lexical index and the chunk/document agreement; returns the problems found.</summary>
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

    /// <summary>Closes the workspace for good and deletes its files, after in-flight writes finish.</summary>
    internal async Task DeleteFilesAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _deleted = true;
            using (var connection = new SqliteConnection(_connectionString))
            {
                SqliteConnection.ClearPool(connection);
            }

            foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
            {
                File.Delete(FilePath + suffix);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writeLock.Dispose();
    }

    /// <summary>Runs <paramref name="work"/> as the workspace's only writer, unless the workspace was deleted meanwhile.</summary>
    private async Task<T> WriteLockedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDeleted();
            return work();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SqliteConnection Open()
    {
        ThrowIfDeleted();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            ApplyConnectionPragmas(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void ApplyConnectionPragmas(SqliteConnection connection)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        pragma.ExecuteNonQuery();
    }

    private void ThrowIfDeleted()
    {
        if (_deleted)
        {
            throw new WorkspaceDeletedException(Id);
        }
    }

    private long NowUnixMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static long ParseLong(string? value) =>
        value is null ? 0 : long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static long FileSize(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }
}
