namespace ContextLite.Node.Tests.Durability;

/// <summary>The acknowledged writes of a kill test, which writer tasks add to under a lock on the dictionary.</summary>
internal static class Acknowledged
{
    public static int Count<TKey>(Dictionary<TKey, string> acknowledged)
        where TKey : notnull
    {
        lock (acknowledged)
        {
            return acknowledged.Count;
        }
    }

    /// <summary>
    /// Waits (up to a minute) until more than <paramref name="count"/> writes are acknowledged, so that a kill comes
    /// after some progress however slowly a loaded machine starts the node; the caller's assertions say if none came.
    /// </summary>
    public static async Task WaitForMoreThanAsync<TKey>(Dictionary<TKey, string> acknowledged, int count)
        where TKey : notnull
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Count(acknowledged) <= count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
