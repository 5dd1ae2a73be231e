using ContextLite.Storage;
using Microsoft.Data.Sqlite;

namespace ContextLite.Core.Tests.Storage;

public sealed class QueryConnectionsTests : IDisposable
{
    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _store;

    public QueryConnectionsTests() => _store = _temp.Store();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Rent_AfterReturn_GivesTheSameConnectionWithItsPreparedCommand()
    {
        using var pool = new QueryConnections(ConnectionString(), mmapBytes: 0, maxIdle: 2);
        SqliteConnection first;
        SqliteCommand command;
        using (var session = pool.Rent())
        {
            first = session.Connection;
            command = session.Command("SELECT $x + 1", p => p.Add("$x", SqliteType.Integer));
            command.Parameters[0].Value = 41;
            Assert.Equal(42L, command.ExecuteScalar());
        }

        using var again = pool.Rent();
        var reused = again.Command("SELECT $x + 1", _ => throw new InvalidOperationException("declared twice"));
        reused.Parameters[0].Value = 1;

        Assert.Same(first, again.Connection);
        Assert.Same(command, reused);
        Assert.Equal(2L, reused.ExecuteScalar());
    }

    [Fact]
    public void Return_BeyondMaxIdle_ClosesTheSurplus()
    {
        using var pool = new QueryConnections(ConnectionString(), mmapBytes: 0, maxIdle: 2);
        var sessions = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        var connections = sessions.Select(s => s.Connection).ToList();

        sessions.ForEach(s => s.Dispose());

        Assert.Equal(2, pool.Idle);
        Assert.Equal(5, connections.Distinct().Count());
        Assert.Equal(3, connections.Count(c => c.State == System.Data.ConnectionState.Closed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64L * 1024 * 1024)]
    public void Rent_SetsTheMemoryMapSizeOnceOnOpen(long bytes)
    {
        using var pool = new QueryConnections(ConnectionString(), bytes, maxIdle: 2);
        using var session = pool.Rent();

        var mmap = session.Command("PRAGMA mmap_size", static _ => { }).ExecuteScalar();

        Assert.Equal(bytes, mmap);
    }

    [Fact]
    public void Close_ClosesIdleAtOnceAndRentedOnReturn_AndRefusesNewRents()
    {
        var pool = new QueryConnections(ConnectionString(), mmapBytes: 0, maxIdle: 4);
        var idle = pool.Rent();
        var idleConnection = idle.Connection;
        idle.Dispose();
        var rented = pool.Rent();
        var busy = pool.Rent();

        pool.Close();
        var openWhileRented = busy.Connection.State;
        busy.Dispose();
        rented.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, idleConnection.State);
        Assert.Equal(System.Data.ConnectionState.Open, openWhileRented);
        Assert.Equal(System.Data.ConnectionState.Closed, busy.Connection.State);
        Assert.Equal(0, pool.Idle);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public async Task Store_ReusedQueryConnections_SeeEveryCommittedWrite()
    {
        // Arrange: a first search prepares the statements on a kept connection.
        await _store.UpsertAsync([new DocumentInput("a", "a.txt", "alpha wombat")], atomic: true);
        Assert.Single(_store.SearchLexical(["wombat"], 10, 4_000).Hits);

        // Act: writes after the statements were prepared.
        await _store.UpsertAsync([new DocumentInput("b", "b.txt", "beta wombat"), new DocumentInput("a", "a.txt", "alpha changed")], atomic: true);
        var (hits, _) = _store.SearchLexical(["wombat"], 10, 4_000);
        var views = _store.GetChunks([.. hits.Select(h => h.Id)], includeText: true);

        // Assert
        var hit = Assert.Single(hits);
        Assert.Equal("beta wombat", views[hit.Id].Text);
        Assert.Equal(2, _store.ChunkCount());
    }

    [Fact]
    public async Task Store_DeletedWorkspace_QueriesFailAsDeleted()
    {
        await _store.UpsertAsync([new DocumentInput("a", "a.txt", "alpha wombat")], atomic: true);
        Assert.Single(_store.SearchLexical(["wombat"], 10, 4_000).Hits);

        await _temp.Catalog.DeleteAsync(_store.Id);

        Assert.Throws<WorkspaceDeletedException>(() => _store.SearchLexical(["wombat"], 10, 4_000));
        Assert.False(File.Exists(_store.FilePath));
    }

    private string ConnectionString() =>
        new SqliteConnectionStringBuilder { DataSource = _store.FilePath, Mode = SqliteOpenMode.ReadWrite }.ToString();
}
