using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

public sealed class WorkspaceStoreBatchTests : IDisposable
{
    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _store;

    public WorkspaceStoreBatchTests() => _store = _temp.Store();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UpsertAsync_NonAtomicBatchWithInvalidItems_WritesTheOthers()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput("owner", "taken.md", "owned"));
        DocumentInput[] batch =
        [
            new(null, "one.md", StoreText.Prose(7, 10, "quokka")),
            new(null, "empty.md", string.Empty),
            new(null, "two.md", StoreText.Prose(8, 10, "quokka")),
            new("thief", "taken.md", "stolen axolotl"),
        ];

        // Act
        var results = await _store.UpsertAsync(batch, atomic: false);

        // Assert
        Assert.Equal([0, 1, 2, 3], results.Select(r => r.Index));
        Assert.Equal(
            [UpsertStatus.Added, UpsertStatus.Error, UpsertStatus.Added, UpsertStatus.Error],
            results.Select(r => r.Status));
        Assert.False(results[1].Conflict);
        Assert.True(results[3].Conflict);
        Assert.NotNull(await _store.GetDocumentAsync(results[0].Id!));
        Assert.NotNull(await _store.GetDocumentAsync(results[2].Id!));
        Assert.Null(await _store.GetDocumentAsync("thief"));

        var stats = await _store.GetStatsAsync(null);
        Assert.Equal(3, stats.Documents);
        Assert.Equal(3, stats.Version);
        Assert.Equal(results[0].Chunks + results[2].Chunks + 1, stats.Chunks);
        Assert.Equal(0, _store.CountLexicalMatches("axolotl"));
    }

    [Fact]
    public async Task UpsertAsync_AtomicBatchWithInvalidItem_WritesNothing()
    {
        // Arrange
        DocumentInput[] batch =
        [
            new(null, "one.md", StoreText.Prose(9, 10, "quokka")),
            new(null, "two.md", "   \n\t "),
            new(null, "three.md", StoreText.Prose(10, 10, "quokka")),
        ];

        // Act
        var results = await _store.UpsertAsync(batch, atomic: true);

        // Assert
        Assert.All(results, r => Assert.Equal(UpsertStatus.Error, r.Status));
        Assert.Contains("white space", results[1].Error, StringComparison.Ordinal);
        Assert.Contains("Not written", results[0].Error, StringComparison.Ordinal);
        await StoreAssert.EmptyAsync(_store);
    }

    [Fact]
    public async Task UpsertAsync_AtomicBatchWithConflictingItem_RollsBackTheOthers()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput("owner", "taken.md", "owned"));
        var before = await _store.GetStatsAsync(null);
        DocumentInput[] batch =
        [
            new(null, "one.md", StoreText.Prose(11, 10, "quokka")),
            new("owner", "taken.md", "owned but changed"),
            new("thief", "taken.md", "stolen"),
        ];

        // Act
        var results = await _store.UpsertAsync(batch, atomic: true);

        // Assert
        Assert.All(results, r => Assert.Equal(UpsertStatus.Error, r.Status));
        Assert.True(results[2].Conflict);
        Assert.Null(await _store.GetDocumentAsync(DocumentRules.DeriveId("one.md")));
        Assert.Equal("owned", (await _store.GetDocumentAsync("owner"))!.Content);
        Assert.Equal(0, _store.CountLexicalMatches("quokka"));
        var after = await _store.GetStatsAsync(null);
        Assert.Equal((before.Documents, before.Chunks, before.Version), (after.Documents, after.Chunks, after.Version));
    }

    [Fact]
    public async Task UpsertAsync_SamePathTwiceInOneBatch_SecondItemUpdatesTheFirst()
    {
        // Arrange
        DocumentInput[] batch = [new(null, "dup.md", "first"), new(null, "dup.md", "second"), new(null, "dup.md", "second")];

        // Act
        var results = await _store.UpsertAsync(batch, atomic: false);

        // Assert
        Assert.Equal([UpsertStatus.Added, UpsertStatus.Updated, UpsertStatus.Unchanged], results.Select(r => r.Status));
        Assert.Equal([1L, 2L, 2L], results.Select(r => r.Version));
        Assert.Equal("second", (await _store.GetDocumentAsync(results[0].Id!))!.Content);
        Assert.Equal(2, (await _store.GetStatsAsync(null)).Version);
    }

    [Fact]
    public async Task UpsertAsync_ItemFailingAfterItsWrites_LeavesNoTraceAndTheOthersAreWritten()
    {
        // Arrange: the third item's vectors are of another dimension, refused only after its document and chunks
        // were written; a batch is first applied without per-item savepoints, so this takes the second attempt.
        DocumentInput[] batch =
        [
            new(null, "one.md", StoreText.Prose(21, 10, "quokka"), Embedding: [1, 0, 0, 0], EmbeddingModel: "m"),
            new(null, "two.md", StoreText.Prose(22, 10, "quokka")),
            new(null, "three.md", StoreText.Prose(23, 10, "axolotl"), Embedding: [1, 0, 0, 0, 0, 0, 0, 0], EmbeddingModel: "m"),
            new(null, "four.md", StoreText.Prose(24, 10, "quokka")),
        ];

        // Act
        var results = await _store.UpsertAsync(batch, atomic: false);

        // Assert
        Assert.Equal(
            [UpsertStatus.Added, UpsertStatus.Added, UpsertStatus.Error, UpsertStatus.Added],
            results.Select(r => r.Status));
        Assert.True(results[2].Conflict);
        var stats = await _store.GetStatsAsync(null);
        Assert.Equal(3, stats.Documents);
        Assert.Equal(3, stats.Version);
        Assert.Equal(results[0].Chunks + results[1].Chunks + results[3].Chunks, stats.Chunks);
        Assert.Equal(0, _store.CountLexicalMatches("axolotl"));
        Assert.Equal((stats.Chunks, (long)results[0].Chunks), _store.EmbeddingProgress());
    }

    [Fact]
    public async Task UpsertAsync_LargeBatch_IndexesEveryChunkOnce()
    {
        // Arrange: no savepoint per item, so FTS5 indexes the whole batch at commit.
        var batch = Enumerable.Range(0, 50)
            .Select(i => new DocumentInput(null, $"doc-{i}.md", StoreText.Prose(100 + i, 12, i % 2 == 0 ? "quokka" : "wombat")))
            .ToArray();

        // Act
        var results = await _store.UpsertAsync(batch, atomic: true);

        // Assert
        Assert.All(results, r => Assert.Equal(UpsertStatus.Added, r.Status));
        Assert.Equal(results.Where((_, i) => i % 2 == 0).Sum(r => r.Chunks), _store.CountLexicalMatches("quokka"));
        Assert.Equal(results.Where((_, i) => i % 2 == 1).Sum(r => r.Chunks), _store.CountLexicalMatches("wombat"));
    }
}
