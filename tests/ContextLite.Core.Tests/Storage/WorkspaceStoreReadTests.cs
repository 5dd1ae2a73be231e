using ContextLite.Storage;
using ContextLite.Text;

namespace ContextLite.Core.Tests.Storage;

public sealed class WorkspaceStoreReadTests : IDisposable
{
    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _store;

    public WorkspaceStoreReadTests() => _store = _temp.Store();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(57)]
    [InlineData(100)]
    public async Task ListDocumentsAsync_PagedWithCursor_VisitsEveryDocumentExactlyOnce(int limit)
    {
        // Arrange: 57 documents, some with explicit ids that sort among the derived "p_..." ones.
        var inputs = Enumerable.Range(0, 57)
            .Select(i => new DocumentInput(i % 3 == 0 ? $"id-{i:D2}" : null, $"dir/file-{i}.txt", $"content {i}"))
            .ToList();
        var written = await _store.UpsertAsync(inputs, atomic: true);
        var expected = written.Select(r => r.Id!).Order(StringComparer.Ordinal).ToList();

        // Act
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _store.ListDocumentsAsync(limit, cursor);
            Assert.Equal(57, page.Total);
            Assert.InRange(page.Items.Count, 1, limit);
            Assert.All(page.Items, d => Assert.Null(d.Content));
            seen.AddRange(page.Items.Select(d => d.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 1000);

        // Assert
        Assert.Equal(expected, seen);
        Assert.Equal((57 + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task ListDocumentsAsync_EmptyWorkspace_ReturnsEmptyLastPage()
    {
        // Act
        var page = await _store.ListDocumentsAsync(10, null);

        // Assert
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListDocumentsAsync_ZeroLimit_Throws()
    {
        // Act + Assert
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.ListDocumentsAsync(0, null));
    }

    [Fact]
    public async Task GetStatsAsync_AfterWrites_CountsDocumentsChunksTokensAndVersion()
    {
        // Arrange
        var contents = new[] { StoreText.Prose(1, 30, "a"), StoreText.Prose(2, 5, "b"), "tiny" };
        _temp.Time.Advance(TimeSpan.FromHours(1));
        var results = await _store.UpsertAsync(
            contents.Select((c, i) => new DocumentInput(null, $"{i}.md", c)).ToList(), atomic: false);

        // Act
        var stats = await _store.GetStatsAsync(TempCatalog.Start.AddDays(1));

        // Assert
        Assert.Equal("test", stats.Id);
        Assert.Equal(3, stats.Documents);
        Assert.Equal(results.Sum(r => r.Chunks), stats.Chunks);
        Assert.Equal(contents.Sum(c => TiktokenCounter.Cl100k.Count(c)), stats.Tokens);
        Assert.Equal(3, stats.Version);
        Assert.Equal(WorkspaceSchema.CurrentVersion, stats.SchemaVersion);
        Assert.Equal(TempCatalog.Start, stats.CreatedAt);
        Assert.Equal(TempCatalog.Start.AddHours(1), stats.UpdatedAt);
        Assert.Equal(TempCatalog.Start.AddDays(1), stats.LastAccess);
        Assert.True(stats.BytesOnDisk > 0);
    }

    [Fact]
    public async Task GetStatsAsync_NewWorkspace_IsEmptyWithoutUpdateTime()
    {
        // Act
        var stats = await _store.GetStatsAsync(null);

        // Assert
        Assert.Equal((0L, 0L, 0L, 0L), (stats.Documents, stats.Chunks, stats.Tokens, stats.Version));
        Assert.Null(stats.UpdatedAt);
        Assert.Equal(TempCatalog.Start, stats.CreatedAt);
    }
}
