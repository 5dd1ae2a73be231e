using ContextLite.Storage;
using ContextLite.Text;

namespace ContextLite.Core.Tests.Storage;

public sealed class WorkspaceStoreUpsertTests : IDisposable
{
    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _store;

    public WorkspaceStoreUpsertTests() => _store = _temp.Store();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UpsertAsync_NewDocument_ReturnsAddedVersion1()
    {
        // Arrange
        var content = StoreText.Prose(1, 30, "quokka");

        // Act
        var result = await _store.UpsertAsync(new DocumentInput(null, "docs/readme.md", content));

        // Assert
        Assert.Equal(UpsertStatus.Added, result.Status);
        Assert.Equal(1, result.Version);
        Assert.Equal(DocumentRules.DeriveId("docs/readme.md"), result.Id);
        Assert.Equal("docs/readme.md", result.Path);
        Assert.Equal(TiktokenCounter.Cl100k.Count(content), result.Tokens);
        Assert.True(result.Chunks > 1, $"expected several 64-token chunks, got {result.Chunks}");
        Assert.Null(result.Error);
        Assert.False(result.Conflict);

        var stored = await _store.GetDocumentAsync(result.Id!);
        Assert.NotNull(stored);
        Assert.Equal(content, stored.Content);
        Assert.Equal(1, stored.Version);
        Assert.Equal(result.Chunks, stored.ChunkCount);
        Assert.Equal(DocumentRules.ContentHash(content), stored.ContentHash);
        Assert.Equal(TempCatalog.Start, stored.CreatedAt);
        Assert.Equal(TempCatalog.Start, stored.UpdatedAt);
    }

    [Fact]
    public async Task UpsertAsync_SameContentAgain_ReturnsUnchangedAndKeepsWorkspaceVersion()
    {
        // Arrange
        var input = new DocumentInput(null, "a.md", StoreText.Prose(2, 20, "quokka"));
        var added = await _store.UpsertAsync(input);
        var before = await _store.GetStatsAsync(null);
        _temp.Time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var again = await _store.UpsertAsync(input with { });

        // Assert
        Assert.Equal(UpsertStatus.Unchanged, again.Status);
        Assert.Equal(1, again.Version);
        Assert.Equal(added.Id, again.Id);
        Assert.Equal(added.Chunks, again.Chunks);
        Assert.Equal(added.Tokens, again.Tokens);

        var after = await _store.GetStatsAsync(null);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        var stored = await _store.GetDocumentAsync(added.Id!);
        Assert.Equal(TempCatalog.Start, stored!.UpdatedAt);
    }

    [Fact]
    public async Task UpsertAsync_ChangedContent_ReturnsUpdatedVersion2()
    {
        // Arrange
        var added = await _store.UpsertAsync(new DocumentInput(null, "a.md", StoreText.Prose(3, 20, "quokka")));
        _temp.Time.Advance(TimeSpan.FromMinutes(1));
        var changed = StoreText.Prose(4, 25, "axolotl");

        // Act
        var updated = await _store.UpsertAsync(new DocumentInput(null, "a.md", changed));

        // Assert
        Assert.Equal(UpsertStatus.Updated, updated.Status);
        Assert.Equal(2, updated.Version);
        Assert.Equal(added.Id, updated.Id);

        var stored = await _store.GetDocumentAsync(added.Id!);
        Assert.Equal(changed, stored!.Content);
        Assert.Equal(2, stored.Version);
        Assert.Equal(TempCatalog.Start, stored.CreatedAt);
        Assert.Equal(TempCatalog.Start.AddMinutes(1), stored.UpdatedAt);
        Assert.Equal(2, (await _store.GetStatsAsync(null)).Version);
    }

    [Fact]
    public async Task UpsertAsync_ChangedMetadataOnly_ReturnsUpdatedAndStoresMetadata()
    {
        // Arrange
        var input = new DocumentInput(null, "a.md", "same text", """{"lang":"en"}""");
        await _store.UpsertAsync(input);

        // Act
        var same = await _store.UpsertAsync(input);
        var changed = await _store.UpsertAsync(input with { MetadataJson = """{"lang":"fr"}""" });

        // Assert
        Assert.Equal(UpsertStatus.Unchanged, same.Status);
        Assert.Equal(UpsertStatus.Updated, changed.Status);
        Assert.Equal("""{"lang":"fr"}""", (await _store.GetDocumentAsync(changed.Id!))!.MetadataJson);
    }

    [Fact]
    public async Task UpsertAsync_PathWithoutId_UpdatesSameDocumentUnderStableDerivedId()
    {
        // Arrange
        var first = await _store.UpsertAsync(new DocumentInput(null, "src/Program.cs", "class A {}"));

        // Act
        var second = await _store.UpsertAsync(new DocumentInput(null, "src/Program.cs", "class B {}"));

        // Assert: SHA-256("src/Program.cs") = 4a4588302b6b6704e8d835eeae2bc4e7...
        Assert.Equal("p_4a4588302b6b6704e8d835eeae2bc4e7", first.Id);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(UpsertStatus.Updated, second.Status);
        Assert.Equal(1, (await _store.ListDocumentsAsync(10, null)).Total);
    }

    [Fact]
    public async Task UpsertAsync_PathOfExplicitIdDocumentWithoutId_UpdatesThatDocument()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput("my-id", "notes.md", "first"));

        // Act
        var result = await _store.UpsertAsync(new DocumentInput(null, "notes.md", "second"));

        // Assert
        Assert.Equal(UpsertStatus.Updated, result.Status);
        Assert.Equal("my-id", result.Id);
        Assert.Equal(1, (await _store.ListDocumentsAsync(10, null)).Total);
    }

    [Fact]
    public async Task UpsertAsync_ExplicitIdWithNewPath_MovesTheDocument()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput("doc", "old.md", "text"));

        // Act
        var moved = await _store.UpsertAsync(new DocumentInput("doc", "new.md", "text"));
        var reuse = await _store.UpsertAsync(new DocumentInput("other", "old.md", "more text"));

        // Assert
        Assert.Equal(UpsertStatus.Updated, moved.Status);
        Assert.Equal("new.md", (await _store.GetDocumentAsync("doc"))!.Path);
        Assert.Equal(UpsertStatus.Added, reuse.Status);
    }

    [Fact]
    public async Task UpsertAsync_ExplicitIdWithPathOfAnotherDocument_ReturnsConflictAndWritesNothing()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput("owner", "taken.md", StoreText.Prose(5, 10, "quokka")));
        var before = await _store.GetStatsAsync(null);

        // Act
        var result = await _store.UpsertAsync(new DocumentInput("intruder", "taken.md", StoreText.Prose(6, 10, "axolotl")));

        // Assert
        Assert.Equal(UpsertStatus.Error, result.Status);
        Assert.True(result.Conflict);
        Assert.Contains("owner", result.Error, StringComparison.Ordinal);
        Assert.Null(await _store.GetDocumentAsync("intruder"));
        Assert.Equal(0, _store.CountLexicalMatches("axolotl"));

        var after = await _store.GetStatsAsync(null);
        Assert.Equal((before.Documents, before.Chunks, before.Version), (after.Documents, after.Chunks, after.Version));
        Assert.Equal(1, (await _store.GetDocumentAsync("owner"))!.Version);
    }

    [Fact]
    public async Task UpsertAsync_RenameOntoPathOfAnotherDocument_ReturnsConflictAndKeepsBoth()
    {
        // Arrange
        await _store.UpsertAsync(new DocumentInput("a", "a.md", "alpha"));
        await _store.UpsertAsync(new DocumentInput("b", "b.md", "beta"));

        // Act
        var result = await _store.UpsertAsync(new DocumentInput("a", "b.md", "alpha"));

        // Assert
        Assert.Equal(UpsertStatus.Error, result.Status);
        Assert.True(result.Conflict);
        Assert.Equal("a.md", (await _store.GetDocumentAsync("a"))!.Path);
        Assert.Equal("b.md", (await _store.GetDocumentAsync("b"))!.Path);
    }

    [Theory]
    [InlineData(" ", "p.md", "text")]
    [InlineData("id\u0007", "p.md", "text")]
    [InlineData(null, "", "text")]
    [InlineData(null, "a\0b.md", "text")]
    [InlineData(null, "p.md", "")]
    [InlineData(null, "p.md", "bin\0ary")]
    public async Task UpsertAsync_InvalidDocument_ReturnsErrorAndWritesNothing(string? id, string path, string content)
    {
        // Act
        var result = await _store.UpsertAsync(new DocumentInput(id, path, content));

        // Assert
        Assert.Equal(UpsertStatus.Error, result.Status);
        Assert.False(result.Conflict);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        await StoreAssert.EmptyAsync(_store);
    }

    [Fact]
    public async Task UpsertAsync_LoneSurrogateInContent_ReturnsErrorAndWritesNothing()
    {
        // Arrange: built in code, because attribute strings are stored as UTF-8 and cannot hold a lone surrogate.
        var content = "lone " + '\ud800' + " surrogate";

        // Act
        var result = await _store.UpsertAsync(new DocumentInput(null, "p.md", content));

        // Assert
        Assert.Equal(UpsertStatus.Error, result.Status);
        Assert.Contains("surrogate", result.Error, StringComparison.Ordinal);
        await StoreAssert.EmptyAsync(_store);
    }

    [Fact]
    public async Task GetDocumentAsync_WithChunks_ReturnsChunksThatReassembleTheContent()
    {
        // Arrange
        var content = StoreText.Prose(12, 40, "quokka");
        var added = await _store.UpsertAsync(new DocumentInput(null, "a.md", content));

        // Act
        var full = await _store.GetDocumentAsync(added.Id!, includeContent: true, includeChunks: true);
        var bare = await _store.GetDocumentAsync(added.Id!, includeContent: false, includeChunks: true);

        // Assert
        Assert.NotNull(full?.Chunks);
        Assert.Equal(content, string.Concat(full.Chunks.Select(c => c.Text)));
        Assert.Equal(Enumerable.Range(0, added.Chunks), full.Chunks.Select(c => c.Ordinal));
        Assert.All(full.Chunks, c => Assert.InRange(c.Tokens, 1, _temp.MaxTokens));
        Assert.Equal(1, full.Chunks[0].StartLine);
        Assert.Equal(content.Count(c => c == '\n'), full.Chunks[^1].EndLine);

        Assert.Null(bare!.Content);
        Assert.All(bare.Chunks!, c => Assert.Null(c.Text));
    }
}
