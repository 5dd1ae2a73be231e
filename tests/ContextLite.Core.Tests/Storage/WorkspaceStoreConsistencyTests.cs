using ContextLite.Core.Tests.Text;
using ContextLite.Storage;
using ContextLite.Text;

namespace ContextLite.Core.Tests.Storage;

/// <summary>
/// Seeded random mixes of adds, updates, no-ops, renames, conflicts and deletes, checked against a simple
/// in-memory model of what the workspace should hold.
/// </summary>
public sealed class WorkspaceStoreConsistencyTests : IDisposable
{
    private const int Paths = 16;

    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _store;
    private readonly Dictionary<string, (string Path, string Content, string? Metadata)> _model = new(StringComparer.Ordinal);
    private long _version;

    public WorkspaceStoreConsistencyTests() => _store = _temp.Store();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(17)]
    [InlineData(2024)]
    public async Task VerifyAsync_AfterSeededMixOfWrites_ReportsNoProblemsAndMatchesModel(int seed)
    {
        // Arrange
        var random = new Random(seed);

        // Act
        for (var step = 0; step < 120; step++)
        {
            _temp.Time.Advance(TimeSpan.FromSeconds(1));
            switch (random.Next(6))
            {
                case 0 or 1:
                    await UpsertByPathAsync(random);
                    break;
                case 2:
                    await UpsertExplicitAsync(random);
                    break;
                case 3:
                    await ResendUnchangedAsync(random);
                    break;
                case 4:
                    await DeleteAsync(random);
                    break;
                default:
                    await UpsertBatchAsync(random);
                    break;
            }
        }

        // Assert
        Assert.Empty(await _store.VerifyAsync());
        await AssertMatchesModelAsync();
        _temp.Reopen();
        var reopened = _temp.Store();
        Assert.Empty(await reopened.VerifyAsync());
        Assert.Equal(_model.Count, (await reopened.GetStatsAsync(null)).Documents);
    }

    private async Task UpsertByPathAsync(Random random)
    {
        var input = new DocumentInput(null, $"p{random.Next(Paths)}.md", Content(random));
        var result = await _store.UpsertAsync(input);
        var owner = _model.FirstOrDefault(p => p.Value.Path == input.Path).Key ?? DocumentRules.DeriveId(input.Path);
        Expect(result, owner, input);
    }

    private async Task UpsertExplicitAsync(Random random)
    {
        var id = $"e{random.Next(6)}";
        var path = $"p{random.Next(Paths)}.md";
        var content = _model.TryGetValue(id, out var current) && random.Next(2) == 0 ? current.Content : Content(random);
        var input = new DocumentInput(id, path, content, random.Next(3) == 0 ? "{}" : null);
        var result = await _store.UpsertAsync(input);

        var owner = _model.FirstOrDefault(p => p.Value.Path == path).Key;
        if (owner is not null && owner != id)
        {
            Assert.Equal(UpsertStatus.Error, result.Status);
            Assert.True(result.Conflict);
            return;
        }

        Expect(result, id, input);
    }

    private async Task ResendUnchangedAsync(Random random)
    {
        if (_model.Count == 0)
        {
            return;
        }

        var (id, (path, content, metadata)) = _model.ElementAt(random.Next(_model.Count));
        var result = await _store.UpsertAsync(new DocumentInput(random.Next(2) == 0 ? id : null, path, content, metadata));
        Assert.Equal(UpsertStatus.Unchanged, result.Status);
        Assert.Equal(id, result.Id);
    }

    private async Task DeleteAsync(Random random)
    {
        var id = _model.Count > 0 && random.Next(4) > 0 ? _model.Keys.ElementAt(random.Next(_model.Count)) : "missing";
        var deleted = await _store.DeleteDocumentAsync(id);
        Assert.Equal(_model.Remove(id), deleted);
        _version += deleted ? 1 : 0;
    }

    private async Task UpsertBatchAsync(Random random)
    {
        // Distinct paths, no ids: every item is an add, an update or a no-op, never a conflict.
        var inputs = Enumerable.Range(0, Paths).OrderBy(_ => random.Next()).Take(random.Next(1, 6))
            .Select(p => new DocumentInput(null, $"p{p}.md", random.Next(3) == 0 ? ContentAt($"p{p}.md") ?? Content(random) : Content(random)))
            .ToList();
        var results = await _store.UpsertAsync(inputs, atomic: random.Next(2) == 0);
        for (var i = 0; i < inputs.Count; i++)
        {
            var owner = _model.FirstOrDefault(p => p.Value.Path == inputs[i].Path).Key ?? DocumentRules.DeriveId(inputs[i].Path);
            Expect(results[i], owner, inputs[i]);
        }
    }

    private void Expect(UpsertResult result, string id, DocumentInput input)
    {
        Assert.Equal(id, result.Id);
        if (!_model.TryGetValue(id, out var current))
        {
            Assert.Equal(UpsertStatus.Added, result.Status);
        }
        else if (current == (input.Path, input.Content, input.MetadataJson))
        {
            Assert.Equal(UpsertStatus.Unchanged, result.Status);
            return;
        }
        else
        {
            Assert.Equal(UpsertStatus.Updated, result.Status);
        }

        _model[id] = (input.Path, input.Content, input.MetadataJson);
        _version++;
    }

    private async Task AssertMatchesModelAsync()
    {
        var page = await _store.ListDocumentsAsync(1000, null);
        Assert.Equal(_model.Keys.Order(StringComparer.Ordinal), page.Items.Select(d => d.Id));
        foreach (var (id, (path, content, metadata)) in _model)
        {
            var document = await _store.GetDocumentAsync(id, includeChunks: true);
            Assert.NotNull(document);
            Assert.Equal((path, content, metadata), (document.Path, document.Content, document.MetadataJson));
            Assert.Equal(TiktokenCounter.Cl100k.Count(content), document.Tokens);
            Assert.Equal(content, string.Concat(document.Chunks!.Select(c => c.Text)));
        }

        var stats = await _store.GetStatsAsync(null);
        Assert.Equal(_version, stats.Version);
        Assert.Equal(_model.Values.Sum(d => (long)TiktokenCounter.Cl100k.Count(d.Content)), stats.Tokens);
    }

    private string? ContentAt(string path) => _model.Values.FirstOrDefault(d => d.Path == path).Content;

    private static string Content(Random random)
    {
        string content;
        do
        {
            content = RandomDocuments.Document(random);
        }
        while (string.IsNullOrWhiteSpace(content));

        return content;
    }
}
