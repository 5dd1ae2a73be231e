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
    private readonly TimeProvider _time;
    private readonly string _connectionString;
    private readonly TermStatistics _terms = new();
    private readonly CommonTermHits _commonTermHits = new();
    private readonly QueryConnections _queries;
    private volatile bool _deleted;

    internal WorkspaceStore(WorkspaceId id, string filePath, StorageOptions options, Chunker chunker, TimeProvider time)
    {
        Id = id;
        FilePath = filePath;
        _options = options;
        _chunker = chunker;
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
        _queries = new QueryConnections(_connectionString, (long)options.MmapMegabytes * 1024 * 1024, maxIdle: Math.Max(2, Environment.ProcessorCount));
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

    /// <summary>Closes the workspace for good and deletes its files, after in-flight writes finish.</summary>
    internal async Task DeleteFilesAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _deleted = true;
            _queries.Close();
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
        _queries.Close();
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

    /// <summary>A read connection of the query path (see <see cref="QueryConnections"/>); dispose it to give it back.</summary>
    private QueryConnections.Session RentForQuery()
    {
        ThrowIfDeleted();
        try
        {
            return _queries.Rent();
        }
        catch (ObjectDisposedException) when (_deleted)
        {
            throw new WorkspaceDeletedException(Id);
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
