using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

public sealed class WorkspaceStoreLexicalBudgetTests : IDisposable
{
    private readonly TempCatalog _temp = new();
    private readonly WorkspaceStore _store;

    public WorkspaceStoreLexicalBudgetTests() => _store = _temp.Store();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SearchLexical_CommonTermOverBudget_DropsItAndScoresOnlyChunksOfRareTerms()
    {
        // Arrange: "common" is in all 40 documents, "quokka" in 3 of them, "okapi" in 2.
        await AddAsync(40, i => i < 3 ? "quokka" : i < 5 ? "okapi" : null);

        // Act
        var (bounded, kept) = _store.SearchLexical(["common", "quokka", "okapi"], limit: 100, maxPostings: 10);
        var (all, keptAll) = _store.SearchLexical(["common", "quokka", "okapi"], limit: 100, maxPostings: 0);

        // Assert
        Assert.Equal(2, kept);
        Assert.Equal(5, bounded.Count);
        Assert.Equal(3, keptAll);
        Assert.Equal(40, all.Count);
    }

    [Fact]
    public async Task SearchLexical_RarestTermAloneOverBudget_IsStillSearched()
    {
        // Arrange
        await AddAsync(20, i => i < 12 ? "quokka" : null);

        // Act
        var (hits, kept) = _store.SearchLexical(["common", "quokka"], limit: 100, maxPostings: 5);

        // Assert: the rarest term is kept even past the budget, the other is not.
        Assert.Equal(1, kept);
        Assert.Equal(12, hits.Count);
    }

    [Fact]
    public async Task SearchLexical_WithinBudget_RanksLikeTheFullQuery()
    {
        // Arrange
        await AddAsync(30, i => i % 3 == 0 ? "quokka" : i % 5 == 0 ? "okapi" : null);

        // Act
        var (bounded, kept) = _store.SearchLexical(["common", "quokka", "okapi"], limit: 10, maxPostings: 1_000);
        var full = _store.SearchLexical("\"common\" OR \"quokka\" OR \"okapi\"", limit: 10);

        // Assert
        Assert.Equal(3, kept);
        Assert.Equal(full, bounded);
    }

    [Fact]
    public async Task SearchLexical_TermBecomesCommonAfterWrites_IsCountedAgainAndDropped()
    {
        // Arrange: "quokka" starts rare, then many writes make it the most common term.
        await AddAsync(10, i => i == 0 ? "quokka" : i < 3 ? "okapi" : null);
        var (_, before) = _store.SearchLexical(["quokka", "okapi"], limit: 100, maxPostings: 3);

        // Act
        for (var i = 0; i < 100; i++)
        {
            await _store.UpsertAsync(new DocumentInput(null, $"more/{i}.md", $"common quokka words number{i}"));
        }

        var (hits, after) = _store.SearchLexical(["quokka", "okapi"], limit: 200, maxPostings: 3);

        // Assert: once its cached count is stale, "quokka" is counted again (101 chunks) and left out.
        Assert.Equal(2, before);
        Assert.Equal(1, after);
        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public async Task SearchLexical_SameCommonTermAgain_SameHitsAsTheFullQuery()
    {
        // Arrange: "common" is in all 30 chunks, over a budget of 5, so it is searched alone (and its hits kept).
        await AddAsync(30, i => i % 4 == 0 ? "common common" : null);
        var full = _store.SearchLexical("\"common\"", limit: 10);

        // Act
        var (first, _) = _store.SearchLexical(["common"], limit: 10, maxPostings: 5);
        var (again, kept) = _store.SearchLexical(["common", "words"], limit: 10, maxPostings: 5);

        // Assert
        Assert.Equal(1, kept);
        Assert.Equal(full, first);
        Assert.Equal(full, again);
    }

    [Fact]
    public async Task SearchLexical_CommonTermAfterAWrite_SeesTheNewChunk()
    {
        // Arrange: the common term's hits are kept once searched.
        await AddAsync(30, _ => null);
        var (before, _) = _store.SearchLexical(["common"], limit: 5, maxPostings: 5);

        // Act: a short document that is nothing but the term ranks first by BM25.
        var added = await _store.UpsertAsync(new DocumentInput(null, "docs/new.md", "common common common"));
        var (after, _) = _store.SearchLexical(["common"], limit: 5, maxPostings: 5);

        // Assert: the write made the kept hits stale; the new chunk is found.
        var newChunk = _store.SearchLexical("\"common\"", limit: 1)[0].Id;
        Assert.Equal(UpsertStatus.Added, added.Status);
        Assert.DoesNotContain(before, h => h.Id == newChunk);
        Assert.Equal(newChunk, after[0].Id);
        Assert.Equal(_store.SearchLexical("\"common\"", limit: 5), after);
    }

    private async Task AddAsync(int count, Func<int, string?> extra)
    {
        var documents = Enumerable.Range(0, count)
            .Select(i => new DocumentInput(null, $"docs/{i}.md", $"common words for document number{i} {extra(i)}".TrimEnd()))
            .ToList();
        var results = await _store.UpsertAsync(documents, atomic: true);
        Assert.All(results, r => Assert.Equal(UpsertStatus.Added, r.Status));
    }
}
