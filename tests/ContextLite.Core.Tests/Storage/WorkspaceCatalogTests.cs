using ContextLite.Storage;
using ContextLite.Workspaces;

namespace ContextLite.Core.Tests.Storage;

public sealed class WorkspaceCatalogTests : IDisposable
{
    private readonly TempCatalog _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OpenOrCreate_TwoWorkspaces_KeepTheirDocumentsApart()
    {
        // Arrange
        var a = _temp.Store("a");
        var b = _temp.Store("b");

        // Act
        var added = await a.UpsertAsync(new DocumentInput(null, "shared/path.md", StoreText.Prose(1, 10, "quokka")));

        // Assert
        Assert.Null(await b.GetDocumentAsync(added.Id!));
        Assert.Equal(0, (await b.ListDocumentsAsync(10, null)).Total);
        Assert.Equal(0, b.CountLexicalMatches("quokka"));
        Assert.Equal(0, (await b.GetStatsAsync(null)).Version);
        Assert.NotNull(await a.GetDocumentAsync(added.Id!));
        Assert.NotEqual(a.FilePath, b.FilePath);
    }

    [Fact]
    public async Task OpenOrCreate_SamePathInTwoWorkspaces_AddsInBoth()
    {
        // Arrange
        var input = new DocumentInput("same-id", "same.md", "text");

        // Act
        var inA = await _temp.Store("a").UpsertAsync(input);
        var inB = await _temp.Store("b").UpsertAsync(input);

        // Assert
        Assert.Equal(UpsertStatus.Added, inA.Status);
        Assert.Equal(UpsertStatus.Added, inB.Status);
    }

    [Fact]
    public void OpenOrCreate_SameIdTwice_ReturnsTheSameStore()
    {
        // Act
        var first = _temp.Catalog.OpenOrCreate(WorkspaceId.Parse("Docs"));
        var second = _temp.Catalog.OpenOrCreate(WorkspaceId.Parse("docs"));

        // Assert
        Assert.Same(first, second);
        Assert.Equal(Path.Combine(_temp.DataDirectory, "docs.db"), first.FilePath);
    }

    [Fact]
    public async Task OpenOrCreate_ConcurrentCallers_ShareOneStore()
    {
        // Arrange
        var id = WorkspaceId.Parse("contended");
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() =>
            {
                start.Wait();
                return _temp.Catalog.OpenOrCreate(id);
            }))
            .ToArray();

        // Act
        start.Set();
        var stores = await Task.WhenAll(callers);

        // Assert
        Assert.All(stores, s => Assert.Same(stores[0], s));
    }

    [Fact]
    public async Task UpsertAsync_ConcurrentWriters_EveryWriteLandsAndCountsOnce()
    {
        // Arrange
        var store = _temp.Store("busy");
        var writers = Enumerable.Range(0, 6)
            .Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var result = await store.UpsertAsync(new DocumentInput(null, $"w{w}/d{i}.md", StoreText.Prose(w * 100 + i, 6, "quokka")));
                    Assert.Equal(UpsertStatus.Added, result.Status);
                    Assert.NotNull(await store.GetDocumentAsync(result.Id!));
                }
            }))
            .ToArray();

        // Act
        await Task.WhenAll(writers);

        // Assert
        var stats = await store.GetStatsAsync(null);
        Assert.Equal(60, stats.Documents);
        Assert.Equal(60, stats.Version);
        Assert.Equal(stats.Chunks, store.CountLexicalMatches("quokka"));
        Assert.Empty(await store.VerifyAsync());
    }

    [Fact]
    public void List_SeveralWorkspacesAndStrayFiles_ReturnsSortedWorkspaceIdsOnly()
    {
        // Arrange
        foreach (var id in new[] { "zeta", "alpha", "m-1" })
        {
            _temp.Store(id);
        }

        File.WriteAllText(Path.Combine(_temp.DataDirectory, "notes.txt"), "not a workspace");
        File.WriteAllText(Path.Combine(_temp.DataDirectory, "Upper.db"), "not canonical");
        File.WriteAllText(Path.Combine(_temp.DataDirectory, ".hidden.db"), "not valid");

        // Act
        var ids = _temp.Catalog.List();

        // Assert
        Assert.Equal(["alpha", "m-1", "zeta"], ids.Select(i => i.Value));
    }

    [Fact]
    public void TryOpen_UnknownWorkspace_ReturnsNullAndCreatesNothing()
    {
        // Arrange
        var id = WorkspaceId.Parse("ghost");

        // Act
        var store = _temp.Catalog.TryOpen(id);

        // Assert
        Assert.Null(store);
        Assert.False(_temp.Catalog.Exists(id));
        Assert.Empty(_temp.Catalog.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.DataDirectory));
    }

    [Fact]
    public async Task DeleteAsync_ExistingWorkspace_RemovesFilesAndForgetsIt()
    {
        // Arrange
        var id = WorkspaceId.Parse("doomed");
        var store = _temp.Catalog.OpenOrCreate(id);
        await store.UpsertAsync(new DocumentInput(null, "a.md", StoreText.Prose(2, 20, "quokka")));
        _temp.Store("kept");

        // Act
        var deleted = await _temp.Catalog.DeleteAsync(id);

        // Assert
        Assert.True(deleted);
        Assert.False(_temp.Catalog.Exists(id));
        Assert.Null(_temp.Catalog.TryOpen(id));
        Assert.Equal(["kept"], _temp.Catalog.List().Select(i => i.Value));
        Assert.Empty(Directory.EnumerateFiles(_temp.DataDirectory, "doomed.db*"));
    }

    [Fact]
    public async Task DeleteAsync_UnknownWorkspace_ReturnsFalse()
    {
        // Act
        var deleted = await _temp.Catalog.DeleteAsync(WorkspaceId.Parse("ghost"));

        // Assert
        Assert.False(deleted);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.DataDirectory));
    }

    [Fact]
    public async Task DeleteAsync_StoreHeldByCaller_LaterUseThrowsWorkspaceDeleted()
    {
        // Arrange
        var id = WorkspaceId.Parse("doomed");
        var stale = _temp.Catalog.OpenOrCreate(id);

        // Act
        await _temp.Catalog.DeleteAsync(id);

        // Assert
        var ex = await Assert.ThrowsAsync<WorkspaceDeletedException>(
            () => stale.UpsertAsync(new DocumentInput(null, "a.md", "text")));
        Assert.Equal(id, ex.Workspace);
        await Assert.ThrowsAsync<WorkspaceDeletedException>(() => stale.GetDocumentAsync("x"));
        Assert.False(File.Exists(stale.FilePath));
    }

    [Fact]
    public async Task OpenOrCreate_AfterDelete_StartsAnEmptyWorkspace()
    {
        // Arrange
        var id = WorkspaceId.Parse("phoenix");
        await _temp.Catalog.OpenOrCreate(id).UpsertAsync(new DocumentInput(null, "a.md", "old"));
        await _temp.Catalog.DeleteAsync(id);

        // Act
        var reborn = _temp.Catalog.OpenOrCreate(id);

        // Assert
        var stats = await reborn.GetStatsAsync(null);
        Assert.Equal((0L, 0L), (stats.Documents, stats.Version));
        Assert.True(_temp.Catalog.Exists(id));
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsAllData()
    {
        // Arrange
        var store = _temp.Store("persist");
        var inputs = Enumerable.Range(0, 25)
            .Select(i => new DocumentInput(null, $"f{i}.md", StoreText.Prose(100 + i, 12, "quokka"), $$"""{"n":{{i}}}"""))
            .ToList();
        await store.UpsertAsync(inputs, atomic: false);
        await store.DeleteDocumentAsync(DocumentRules.DeriveId("f3.md"));
        var before = await store.GetStatsAsync(null);
        var matches = store.CountLexicalMatches("quokka");

        // Act
        _temp.Reopen();

        // Assert
        Assert.Equal(["persist"], _temp.Catalog.List().Select(i => i.Value));
        var reopened = _temp.Catalog.TryOpen(WorkspaceId.Parse("persist"));
        Assert.NotNull(reopened);
        var after = await reopened.GetStatsAsync(null);
        Assert.Equal(before with { BytesOnDisk = 0 }, after with { BytesOnDisk = 0 });
        Assert.Equal(matches, reopened.CountLexicalMatches("quokka"));
        foreach (var input in inputs.Where(i => i.Path != "f3.md"))
        {
            var document = await reopened.GetDocumentAsync(DocumentRules.DeriveId(input.Path));
            Assert.Equal(input.Content, document?.Content);
            Assert.Equal(input.MetadataJson, document?.MetadataJson);
        }

        Assert.Null(await reopened.GetDocumentAsync(DocumentRules.DeriveId("f3.md")));
        Assert.Equal(UpsertStatus.Unchanged, (await reopened.UpsertAsync(inputs[0])).Status);
        Assert.Empty(await reopened.VerifyAsync());
    }

    [Fact]
    public void LastAccess_AfterTouch_IsTheFakeClockTime()
    {
        // Arrange
        var id = WorkspaceId.Parse("touched");
        _temp.Catalog.OpenOrCreate(id);
        _temp.Time.Advance(TimeSpan.FromMinutes(42));

        // Act
        _temp.Catalog.Touch(id);

        // Assert
        Assert.Equal(TempCatalog.Start.AddMinutes(42), _temp.Catalog.LastAccess(id));
        Assert.Null(_temp.Catalog.LastAccess(WorkspaceId.Parse("ghost")));
    }
}
