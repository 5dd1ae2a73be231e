using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

/// <summary>Assertions about a whole workspace.</summary>
internal static class StoreAssert
{
    /// <summary>Nothing was ever written: no documents, chunks, index rows for <paramref name="marker"/>, or versions.</summary>
    public static async Task EmptyAsync(WorkspaceStore store, string marker = "quokka")
    {
        var stats = await store.GetStatsAsync(null);
        Assert.Equal(0, stats.Documents);
        Assert.Equal(0, stats.Chunks);
        Assert.Equal(0, stats.Version);
        Assert.Null(stats.UpdatedAt);
        Assert.Equal(0, store.CountLexicalMatches(marker));
    }
}
