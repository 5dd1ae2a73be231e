using System.Collections.Concurrent;

namespace ContextLite.Node.Caching;

/// <summary>
/// The bytes each workspace holds in the in-process (first) level of the assemble cache, so that the
/// workspace's <c>max_memory_mb</c> can cover its caches as well as its vector index.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache"/> keeps no per-workspace accounting, so this
/// ledger mirrors what the node wrote to the first level: each entry's key, its payload size plus a fixed
/// overhead, and when the first level lets it expire. Entries are dropped here when they expire there, and
/// <see cref="Record"/> names the oldest entries to evict when a workspace would go over its budget.
/// </para>
/// <para>
/// It is an estimate by design: the first level may drop an entry earlier (memory pressure), in which case
/// the ledger over-counts until the entry's expiry, which errs on the side of staying under the budget.
/// </para>
/// </remarks>
internal sealed class WorkspaceCacheLedger(TimeProvider time)
{
    /// <summary>Bytes counted for an entry beyond its payload: key, cache entry and bookkeeping objects.</summary>
    public const int EntryOverheadBytes = 512;

    private readonly ConcurrentDictionary<string, Ledger> _workspaces = new(StringComparer.Ordinal);

    /// <summary>The bytes <paramref name="workspace"/>'s live entries hold in the first level.</summary>
    public long Bytes(string workspace)
    {
        if (!_workspaces.TryGetValue(workspace, out var ledger))
        {
            return 0;
        }

        lock (ledger)
        {
            ledger.Prune(time.GetUtcNow());
            return ledger.Total;
        }
    }

    /// <summary>The number of live entries of <paramref name="workspace"/>.</summary>
    public int Count(string workspace)
    {
        if (!_workspaces.TryGetValue(workspace, out var ledger))
        {
            return 0;
        }

        lock (ledger)
        {
            ledger.Prune(time.GetUtcNow());
            return ledger.Entries.Count;
        }
    }

    /// <summary>
    /// Records that <paramref name="key"/> (<paramref name="payloadBytes"/> long) sits in the first level until
    /// <paramref name="ttl"/> from now, and returns the keys to evict so that the workspace's entries fit in
    /// <paramref name="allowance"/> bytes: the oldest first, and the new entry itself when it alone does not fit.
    /// Evicted keys are forgotten here at once.
    /// </summary>
    public IReadOnlyList<string> Record(string workspace, string key, long payloadBytes, TimeSpan ttl, long allowance)
    {
        var ledger = _workspaces.GetOrAdd(workspace, _ => new Ledger());
        var now = time.GetUtcNow();
        var evict = new List<string>();
        lock (ledger)
        {
            ledger.Prune(now);
            ledger.Add(key, payloadBytes + EntryOverheadBytes, now + ttl);
            while (ledger.Total > Math.Max(0, allowance) && ledger.Entries.First is { } oldest)
            {
                evict.Add(oldest.Value.Key);
                ledger.Remove(oldest);
            }
        }

        return evict;
    }

    /// <summary>Forgets every entry of a workspace (deleted, or its cache dropped).</summary>
    public void Forget(string workspace) => _workspaces.TryRemove(workspace, out _);

    private sealed class Ledger
    {
        private readonly Dictionary<string, LinkedListNode<Entry>> _byKey = new(StringComparer.Ordinal);

        /// <summary>Oldest write first.</summary>
        public LinkedList<Entry> Entries { get; } = new();

        public long Total { get; private set; }

        public void Add(string key, long bytes, DateTimeOffset expires)
        {
            if (_byKey.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }

            _byKey[key] = Entries.AddLast(new Entry(key, bytes, expires));
            Total += bytes;
        }

        public void Remove(LinkedListNode<Entry> node)
        {
            Entries.Remove(node);
            _byKey.Remove(node.Value.Key);
            Total -= node.Value.Bytes;
        }

        /// <summary>Drops expired entries. Expiry follows write order (one TTL for all), so they are at the front.</summary>
        public void Prune(DateTimeOffset now)
        {
            while (Entries.First is { } first && first.Value.Expires <= now)
            {
                Remove(first);
            }
        }
    }

    private readonly record struct Entry(string Key, long Bytes, DateTimeOffset Expires);
}
