using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

/// <summary>
/// The query path's read connections of one workspace, kept open with their statements prepared: a search rents
/// one, runs its statements and gives it back.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's own pool keeps the database handle open but prepares every statement again on each
/// command, and its connections cannot be told apart, so a per-connection setting would have to run on every open.
/// Here each connection is opened once with <c>PRAGMA mmap_size</c> (page reads become memory reads instead of a
/// <c>pread</c> and a copy per page the cache misses: the chunk fetch of a query touches ~3 random pages per chunk)
/// and keeps one prepared command per SQL text. At most the constructor's <c>maxIdle</c> connections stay open while idle; a burst
/// beyond that opens more and closes them on return. <see cref="Close"/> (workspace deleted or disposed) closes the
/// idle ones at once and every rented one when it comes back.
/// </remarks>
internal sealed class QueryConnections : IDisposable
{
    private readonly string _connectionString;
    private readonly long _mmapBytes;
    private readonly ConcurrentBag<Session> _idle = [];
    private readonly int _maxIdle;
    private volatile bool _closed;

    public QueryConnections(string connectionString, long mmapBytes, int maxIdle)
    {
        // Our pool replaces Microsoft.Data.Sqlite's for these connections: two pools would hold twice the handles.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _mmapBytes = mmapBytes;
        _maxIdle = maxIdle;
    }

    /// <summary>Connections open and idle now.</summary>
    public int Idle => _idle.Count;

    /// <summary>An open connection with its prepared commands; dispose it to give it back.</summary>
    public Session Rent()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_idle.TryTake(out var session))
        {
            return session;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (_mmapBytes > 0)
            {
                using var pragma = connection.CreateCommand();
                pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA mmap_size={_mmapBytes}");
                pragma.ExecuteNonQuery();
            }

            return new Session(this, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes the idle connections now and the rented ones when they come back; no more rents.</summary>
    public void Close()
    {
        _closed = true;
        while (_idle.TryTake(out var session))
        {
            session.Close();
        }
    }

    public void Dispose() => Close();

    private void Return(Session session)
    {
        if (_closed || _idle.Count >= _maxIdle)
        {
            session.Close();
            return;
        }

        _idle.Add(session);

        // Close() may have run between the check and the Add: it must not leave a connection open behind it.
        if (_closed && _idle.TryTake(out var late))
        {
            late.Close();
        }
    }

    /// <summary>One rented connection.</summary>
    internal sealed class Session : IDisposable
    {
        private readonly QueryConnections _owner;
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public Session(QueryConnections owner, SqliteConnection connection)
        {
            _owner = owner;
            Connection = connection;
        }

        public SqliteConnection Connection { get; }

        /// <summary>
        /// The connection's command for <paramref name="sql"/>, prepared on first use and reused after (its
        /// parameters keep their last values: set every one before executing).
        /// </summary>
        public SqliteCommand Command(string sql, Action<SqliteParameterCollection> declare)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = Connection.CreateCommand();
                command.CommandText = sql;
                declare(command.Parameters);
                command.Prepare();
                _commands[sql] = command;
            }

            return command;
        }

        /// <summary>Gives the connection back.</summary>
        public void Dispose() => _owner.Return(this);

        internal void Close()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
            Connection.Dispose();
        }
    }
}
