using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

public sealed class WorkspaceStoreLexicalIndexTests : IDisposable
{
    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _store;

    public WorkspaceStoreLexicalIndexTests() => _store = _temp.Store();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UpsertAsync_NewDocument_IndexesEveryChunk()
    {
        // Act: the marker ends every line, so every chunk holds it.
        var added = await _store.UpsertAsync(new DocumentInput(null, "a.md", StoreText.Prose(1, 30, "quokka")));

        // Assert
        Assert.True(added.Chunks > 1);
        Assert.Equal(added.Chunks, _store.CountLexicalMatches("quokka"));
        Assert.Equal(0, _store.CountLexicalMatches("axolotl"));
    }

    [Fact]
    public async Task DeleteDocumentAsync_ExistingDocument_RemovesDocumentChunksAndIndexRows()
    {
        // Arrange
        var doomed = await _store.UpsertAsync(new DocumentInput(null, "doomed.md", StoreText.Prose(2, 30, "narwhal")));
        var kept = await _store.UpsertAsync(new DocumentInput(null, "kept.md", StoreText.Prose(3, 30, "okapi")));
        _temp.Time.Advance(TimeSpan.FromSeconds(30));

        // Act
        var deleted = await _store.DeleteDocumentAsync(doomed.Id!);

        // Assert
        Assert.True(deleted);
        Assert.Null(await _store.GetDocumentAsync(doomed.Id!));
        Assert.Equal(0, _store.CountLexicalMatches("narwhal"));
        Assert.Equal(kept.Chunks, _store.CountLexicalMatches("okapi"));

        var stats = await _store.GetStatsAsync(null);
        Assert.Equal(1, stats.Documents);
        Assert.Equal(kept.Chunks, stats.Chunks);
        Assert.Equal(kept.Tokens, stats.Tokens);
        Assert.Equal(3, stats.Version);
        Assert.Equal(TempCatalog.Start.AddSeconds(30), stats.UpdatedAt);
        Assert.Empty(await _store.VerifyAsync());
    }

    [Fact]
    public async Task DeleteDocumentAsync_UnknownId_ReturnsFalseAndKeepsVersion()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput(null, "a.md", "text"));

        // Act
        var deleted = await _store.DeleteDocumentAsync("missing");

        // Assert
        Assert.False(deleted);
        Assert.Equal(1, (await _store.GetStatsAsync(null)).Version);
    }

    [Fact]
    public async Task DeleteDocumentAsync_ThenReAdd_StartsAgainAtVersion1()
    {
        // Arrange
        var input = new DocumentInput(null, "a.md", StoreText.Prose(4, 10, "quokka"));
        var first = await _store.UpsertAsync(input);
        await _store.UpsertAsync(input with { Content = StoreText.Prose(5, 10, "quokka") });
        await _store.DeleteDocumentAsync(first.Id!);

        // Act
        var again = await _store.UpsertAsync(input);

        // Assert
        Assert.Equal(UpsertStatus.Added, again.Status);
        Assert.Equal(1, again.Version);
        Assert.Equal(again.Chunks, _store.CountLexicalMatches("quokka"));
    }

    [Fact]
    public async Task UpsertAsync_ChangedContent_OldWordsNoLongerMatchAndNewOnesDo()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput(null, "a.md", StoreText.Prose(6, 30, "quokka")));

        // Act
        var updated = await _store.UpsertAsync(new DocumentInput(null, "a.md", StoreText.Prose(7, 12, "axolotl")));

        // Assert
        Assert.Equal(UpsertStatus.Updated, updated.Status);
        Assert.Equal(0, _store.CountLexicalMatches("quokka"));
        Assert.Equal(updated.Chunks, _store.CountLexicalMatches("axolotl"));
        Assert.Equal(updated.Chunks, (await _store.GetStatsAsync(null)).Chunks);
        Assert.Empty(await _store.VerifyAsync());
    }

    [Fact]
    public async Task UpsertAsync_PathChangeWithSameContent_IndexFollowsTheNewPath()
    {
        // Arrange
        var content = StoreText.Prose(8, 20, "plain");
        var added = await _store.UpsertAsync(new DocumentInput("doc", "notes/quokka.md", content));
        Assert.Equal(added.Chunks, _store.CountLexicalMatches("path:quokka"));

        // Act
        var moved = await _store.UpsertAsync(new DocumentInput("doc", "notes/axolotl.md", content));

        // Assert
        Assert.Equal(UpsertStatus.Updated, moved.Status);
        Assert.Equal(0, _store.CountLexicalMatches("quokka"));
        Assert.Equal(moved.Chunks, _store.CountLexicalMatches("path:axolotl"));
        Assert.Equal(moved.Chunks, _store.CountLexicalMatches("plain"));
        Assert.Empty(await _store.VerifyAsync());
    }

    [Fact]
    public async Task UpsertAsync_PathAndContentChange_IndexDropsOldPathAndOldWords()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput("doc", "quokka.md", StoreText.Prose(9, 20, "narwhal")));

        // Act
        var moved = await _store.UpsertAsync(new DocumentInput("doc", "axolotl.md", StoreText.Prose(10, 20, "okapi")));

        // Assert
        Assert.Equal(0, _store.CountLexicalMatches("quokka OR narwhal"));
        Assert.Equal(moved.Chunks, _store.CountLexicalMatches("axolotl AND okapi"));
    }

    [Fact]
    public async Task UpsertAsync_UnchangedDocument_LeavesIndexAsItWas()
    {
        // Arrange
        var input = new DocumentInput(null, "a.md", StoreText.Prose(11, 30, "quokka"));
        var added = await _store.UpsertAsync(input);

        // Act
        await _store.UpsertAsync(input);
        await _store.UpsertAsync([input, input], atomic: false);

        // Assert
        Assert.Equal(added.Chunks, _store.CountLexicalMatches("quokka"));
        Assert.Equal(added.Chunks, (await _store.GetStatsAsync(null)).Chunks);
    }

    [Fact]
    public async Task CountLexicalMatches_StemmedAndAccentedForms_MatchThroughTheTokenizer()
    {
        // Arrange: the index uses porter stemming and strips diacritics.
        await _store.UpsertAsync(new DocumentInput(null, "a.md", "The engines were running at the Café."));

        // Act
        var stemmed = _store.CountLexicalMatches("engine AND run");
        var unaccented = _store.CountLexicalMatches("cafe");

        // Assert
        Assert.Equal(1, stemmed);
        Assert.Equal(1, unaccented);
    }
}
