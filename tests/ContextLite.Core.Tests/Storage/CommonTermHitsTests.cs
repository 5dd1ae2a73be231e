using ContextLite.Search;
using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

public sealed class CommonTermHitsTests
{
    private static readonly ScoredId[] s_hits = [new(7, 2.5f), new(3, 1.5f)];

    [Fact]
    public void TryGet_SameTermLimitAndVersion_ReturnsTheHits()
    {
        // Arrange
        var cache = new CommonTermHits();
        cache.Set("string", 200, version: 4, s_hits);

        // Act
        var found = cache.TryGet("string", 200, version: 4, out var hits);

        // Assert
        Assert.True(found);
        Assert.Equal(s_hits, hits);
    }

    [Theory]
    [InlineData("string", 200, 5)]
    [InlineData("string", 100, 4)]
    [InlineData("token", 200, 4)]
    public void TryGet_OtherVersionLimitOrTerm_Misses(string term, int limit, long version)
    {
        // Arrange
        var cache = new CommonTermHits();
        cache.Set("string", 200, version: 4, s_hits);

        // Act + Assert
        Assert.False(cache.TryGet(term, limit, version, out _));
    }

    [Fact]
    public void Set_MoreTermsThanTheCapacity_StaysBounded()
    {
        // Arrange
        var cache = new CommonTermHits();

        // Act
        for (var i = 0; i < 3 * CommonTermHits.Capacity; i++)
        {
            cache.Set($"term{i}", 200, version: 1, s_hits);
        }

        // Assert: the latest term is kept; at most Capacity of the earlier ones.
        Assert.True(cache.TryGet($"term{(3 * CommonTermHits.Capacity) - 1}", 200, 1, out _));
        var kept = Enumerable.Range(0, 3 * CommonTermHits.Capacity).Count(i => cache.TryGet($"term{i}", 200, 1, out _));
        Assert.InRange(kept, 1, CommonTermHits.Capacity);
    }

    [Fact]
    public void Set_HitsChangedAfterwards_KeepsItsOwnCopy()
    {
        // Arrange
        var cache = new CommonTermHits();
        var hits = new List<ScoredId>(s_hits);
        cache.Set("string", 200, version: 1, hits);

        // Act
        hits.Clear();

        // Assert
        Assert.True(cache.TryGet("string", 200, 1, out var kept));
        Assert.Equal(2, kept.Count);
    }
}
