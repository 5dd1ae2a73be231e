using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

/// <summary>
/// The replication log: sequence numbers on every change, changes-since pages, idempotent apply on a replica,
/// snapshots that drop what the primary no longer has, and the awkward orderings (a path that moves between documents).
/// </summary>
public sealed class WorkspaceStoreReplicationTests : IDisposable
{
    private const string Source = "node-1/1";
    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _primary;
    private readonly WorkspaceStore _replica;

    public WorkspaceStoreReplicationTests()
    {
        _primary = _temp.Store("primary");
        _replica = _temp.Store("replica");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReplicationHead_CountsEveryDocumentChangeButNotUnchangedWrites()
    {
        // Arrange
        Assert.Equal(0, _primary.ReplicationHead());

        // Act
        await _primary.UpsertAsync(new DocumentInput(null, "a.md", "alpha"));
        await _primary.UpsertAsync(new DocumentInput(null, "a.md", "alpha"));
        await _primary.UpsertAsync(new DocumentInput(null, "a.md", "alpha two"));
        await _primary.UpsertAsync([new DocumentInput(null, "b.md", "beta"), new DocumentInput(null, "c.md", "gamma")], atomic: true);
        await _primary.DeleteDocumentAsync(DocumentRules.DeriveId("b.md"));
        await _primary.DeleteDocumentAsync("missing");

        // Assert: add, update, two adds, one delete.
        Assert.Equal(5, _primary.ReplicationHead());
        var batch = _primary.ReadChanges(0, 100, long.MaxValue);
        Assert.Equal([2L, 4L, 5L], batch.Changes.Select(c => c.Seq)); // a.md (updated at 2), c.md (4), b.md's tombstone (5)
        Assert.True(batch.Changes.Single(c => c.Seq == 5).Deleted);
        Assert.Equal(5, batch.Through);
        Assert.True(batch.ReachesHead);
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(99, 3)]
    [InlineData(2024, 7)]
    public async Task ApplyChanges_SeededMixInSmallPagesWithReplays_ReplicaEqualsPrimary(int seed, int pageSize)
    {
        // Arrange
        var random = new Random(seed);
        await _replica.BeginResyncAsync(Source);
        long applied = 0;

        // Act: writes on the primary, interleaved with pulls of small pages, some replayed (a retry after a lost answer).
        for (var step = 0; step < 150; step++)
        {
            await RandomWriteAsync(random);
            if (random.Next(4) == 0)
            {
                applied = await PullAsync(applied, pageSize, replayEvery: random.Next(1, 4));
            }
        }

        while (_replica.ReadReplicaPosition().Applied < _primary.ReplicationHead())
        {
            applied = await PullAsync(applied, pageSize, replayEvery: 2);
        }

        // Assert
        Assert.Equal(await SnapshotAsync(_primary), await SnapshotAsync(_replica));
        Assert.Empty(await _replica.VerifyAsync());
        Assert.Null(_replica.ReadReplicaPosition().ResyncFloor);
    }

    [Fact]
    public async Task ApplyChanges_SameBatchTwice_SecondChangesNothing()
    {
        // Arrange
        await _primary.UpsertAsync([new DocumentInput(null, "a.md", "alpha"), new DocumentInput("b", "b.md", "beta", """{"k":1}""")], atomic: true);
        await _replica.BeginResyncAsync(Source);
        var batch = _primary.ReadChanges(0, 100, long.MaxValue);
        Assert.Equal(2, await _replica.ApplyChangesAsync(Source, batch.Changes, batch.Through, batch.ReachesHead));
        var version = (await _replica.GetStatsAsync(null)).Version;

        // Act
        var second = await _replica.ApplyChangesAsync(Source, batch.Changes, batch.Through, batch.ReachesHead);

        // Assert
        Assert.Equal(0, second);
        Assert.Equal(version, (await _replica.GetStatsAsync(null)).Version);
        Assert.Equal(await SnapshotAsync(_primary), await SnapshotAsync(_replica));
    }

    [Fact]
    public async Task ApplyChanges_SnapshotOverDivergedCopy_DropsDocumentsThePrimaryDoesNotHave()
    {
        // Arrange: the replica has a document the primary never acknowledged (a deposed primary's unreplicated write).
        await _replica.UpsertAsync(new DocumentInput("stray", "stray.md", "only here"));
        await _replica.UpsertAsync(new DocumentInput("shared", "shared.md", "old text"));
        await _primary.UpsertAsync(new DocumentInput("shared", "shared.md", "new text"));
        await _primary.UpsertAsync(new DocumentInput("kept", "kept.md", "kept"));

        // Act
        await _replica.BeginResyncAsync(Source);
        var first = _primary.ReadChanges(0, 1, long.MaxValue);
        await _replica.ApplyChangesAsync(Source, first.Changes, first.Through, first.ReachesHead);
        var strayDuringSnapshot = await _replica.GetDocumentAsync("stray", includeContent: false, includeChunks: false);
        var rest = _primary.ReadChanges(first.Through, 100, long.MaxValue);
        await _replica.ApplyChangesAsync(Source, rest.Changes, rest.Through, rest.ReachesHead);

        // Assert: kept until the snapshot completed, then gone.
        Assert.NotNull(strayDuringSnapshot);
        Assert.False(first.ReachesHead);
        Assert.Equal(await SnapshotAsync(_primary), await SnapshotAsync(_replica));
        Assert.Null(await _replica.GetDocumentAsync("stray", includeContent: false, includeChunks: false));
        Assert.Empty(await _replica.VerifyAsync());
    }

    [Fact]
    public async Task ApplyChanges_PathMovedToAnotherDocument_ReplicaFollowsThroughTheIntermediateState()
    {
        // Arrange: x holds p.md on both.
        await _primary.UpsertAsync(new DocumentInput("x", "p.md", "x one"));
        await _replica.BeginResyncAsync(Source);
        var start = _primary.ReadChanges(0, 100, long.MaxValue);
        await _replica.ApplyChangesAsync(Source, start.Changes, start.Through, start.ReachesHead);

        // Act: x moves to q.md, y takes p.md, then x changes again (so x's change comes after y's in the log).
        await _primary.UpsertAsync(new DocumentInput("x", "q.md", "x two"));
        await _primary.UpsertAsync(new DocumentInput("y", "p.md", "y one"));
        await _primary.UpsertAsync(new DocumentInput("x", "q.md", "x three"));
        var changes = _primary.ReadChanges(start.Through, 100, long.MaxValue);
        Assert.Equal(["y", "x"], changes.Changes.Select(c => c.Id));
        var afterFirst = await ApplyOneByOneAsync(changes);

        // Assert: in between y had p.md and x was gone; at the end both are there.
        Assert.Equal(["y"], afterFirst.Keys);
        Assert.Equal(await SnapshotAsync(_primary), await SnapshotAsync(_replica));
        Assert.Empty(await _replica.VerifyAsync());
    }

    [Fact]
    public async Task ApplyChanges_DocumentWithVectors_ReplicaGetsTheSameVectorsWithoutEmbedding()
    {
        // Arrange
        var vector = Enumerable.Range(0, 8).Select(i => (float)i / 8).ToArray();
        await _primary.UpsertAsync(new DocumentInput("v", "v.md", string.Join("\n\n", Enumerable.Repeat("a paragraph of words that fills a chunk well enough", 12)), null, vector, "byo-8"));
        await _replica.BeginResyncAsync(Source);

        // Act
        var batch = _primary.ReadChanges(0, 100, long.MaxValue);
        await _replica.ApplyChangesAsync(Source, batch.Changes, batch.Through, batch.ReachesHead);

        // Assert
        var shipped = Assert.Single(batch.Changes);
        Assert.True(shipped.Vectors!.Count > 1);
        Assert.Equal(("byo-8", 8), _replica.EmbeddingModel);
        var replicaVectors = new List<float[]>();
        _replica.ReadEmbeddings((_, v) => replicaVectors.Add(v));
        Assert.Equal(shipped.Vectors.Count, replicaVectors.Count);
        Assert.All(replicaVectors, v => Assert.Equal(vector, v));
    }

    [Fact]
    public async Task ApplyChanges_FromAnotherSourceThanBegun_IsRefusedAndChangesNothing()
    {
        // Arrange
        await _primary.UpsertAsync(new DocumentInput(null, "a.md", "alpha"));
        await _replica.BeginResyncAsync(Source);
        var batch = _primary.ReadChanges(0, 100, long.MaxValue);

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _replica.ApplyChangesAsync("node-2/2", batch.Changes, batch.Through, true));

        // Assert
        Assert.Contains("node-1/1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _replica.GetStatsAsync(null)).Documents);
    }

    [Fact]
    public async Task ReadChanges_ByteLimit_StopsAfterTheChangeThatPassesIt()
    {
        // Arrange
        for (var i = 0; i < 5; i++)
        {
            await _primary.UpsertAsync(new DocumentInput(null, $"d{i}.md", new string('x', 1000)));
        }

        // Act
        var page = _primary.ReadChanges(0, 100, maxBytes: 2500);

        // Assert: 2,000 bytes each (UTF-16): the second passes the limit.
        Assert.Equal(2, page.Changes.Count);
        Assert.Equal(2, page.Through);
        Assert.False(page.ReachesHead);
    }

    [Fact]
    public async Task Migrate_VersionTwoDatabase_NumbersEveryExistingDocumentSoASnapshotCarriesThemAll()
    {
        // Arrange: a workspace as schema 2 left it (no sequence column, no tombstones, no 'seq').
        await _primary.UpsertAsync([new DocumentInput(null, "a.md", "alpha"), new DocumentInput(null, "b.md", "beta"), new DocumentInput(null, "c.md", "gamma")], atomic: true);
        var file = _primary.FilePath;
        _temp.Reopen();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var downgrade = connection.CreateCommand();
            downgrade.CommandText = """
                DROP INDEX documents_by_seq; DROP TABLE tombstones;
                ALTER TABLE documents DROP COLUMN seq;
                DELETE FROM meta WHERE key = 'seq'; UPDATE meta SET value = '2' WHERE key = 'schema_version';
                """;
            downgrade.ExecuteNonQuery();
        }

        // Act
        _temp.Reopen();
        var upgraded = _temp.Store("primary");
        var snapshot = upgraded.ReadChanges(0, 100, long.MaxValue);
        await upgraded.UpsertAsync(new DocumentInput(null, "d.md", "delta"));

        // Assert
        Assert.Equal(3, (await upgraded.GetStatsAsync(null)).SchemaVersion);
        Assert.Equal(3, snapshot.Changes.Count);
        Assert.Equal(3, snapshot.Head);
        Assert.Equal(4, upgraded.ReplicationHead());
        Assert.Empty(await upgraded.VerifyAsync());
    }

    private async Task<long> PullAsync(long applied, int pageSize, int replayEvery)
    {
        var batch = _primary.ReadChanges(applied, pageSize, long.MaxValue);
        await _replica.ApplyChangesAsync(Source, batch.Changes, batch.Through, batch.ReachesHead);
        if (batch.Changes.Count > 0 && batch.Changes[0].Seq % replayEvery == 0)
        {
            Assert.Equal(0, await _replica.ApplyChangesAsync(Source, batch.Changes, batch.Through, batch.ReachesHead));
        }

        return batch.Through;
    }

    private async Task<SortedDictionary<string, (string Path, string? Content, string? Metadata)>> ApplyOneByOneAsync(ChangeBatch batch)
    {
        SortedDictionary<string, (string, string?, string?)>? afterFirst = null;
        foreach (var change in batch.Changes)
        {
            await _replica.ApplyChangesAsync(Source, [change], change.Seq, change.Seq >= batch.Head);
            afterFirst ??= await SnapshotAsync(_replica);
        }

        return afterFirst!;
    }

    private async Task RandomWriteAsync(Random random)
    {
        var path = $"p{random.Next(12)}.md";
        switch (random.Next(5))
        {
            case 0:
                await _primary.DeleteDocumentAsync(DocumentRules.DeriveId(path));
                break;
            case 1:
                // Explicit ids that move between paths (conflicts are refused by the primary and not logged).
                await _primary.UpsertAsync(new DocumentInput($"e{random.Next(4)}", path, $"explicit {random.Next(1000)}", random.Next(2) == 0 ? "{}" : null));
                break;
            case 2:
                await _primary.DeleteDocumentAsync($"e{random.Next(4)}");
                break;
            default:
                await _primary.UpsertAsync(new DocumentInput(null, path, $"text {random.Next(30)} about {path}"));
                break;
        }
    }

    private static async Task<SortedDictionary<string, (string Path, string? Content, string? Metadata)>> SnapshotAsync(WorkspaceStore store)
    {
        var documents = new SortedDictionary<string, (string, string?, string?)>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await store.ListDocumentsAsync(100, cursor);
            foreach (var item in page.Items)
            {
                var full = await store.GetDocumentAsync(item.Id, includeContent: true, includeChunks: false);
                documents[item.Id] = (full!.Path, full.Content, full.MetadataJson);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return documents;
    }
}
