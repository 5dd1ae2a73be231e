using System.Collections.Concurrent;

namespace ContextLite.Gateway.Sessions;

/// <summary>
/// Sticky sessions in this process, with the same sliding-expiry semantics as <see cref="RedisSessionStore"/>:
/// used when no Redis is configured, and while a configured Redis does not answer.
/// </summary>
/// <remarks>
/// Expired entries are dropped when read, and swept when the store is full; a store still full after a sweep
/// does not pin new sessions (they are routed by the strategy alone), so memory stays bounded.
/// </remarks>
internal sealed class MemorySessionStore(TimeProvider time, int capacity) : ISessionStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public ValueTask<string?> TouchAsync(string session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (_entries.TryGetValue(session, out var entry))
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(session, entry));
                return ValueTask.FromResult<string?>(null);
            }

            if (_entries.TryUpdate(session, entry with { ExpiresAt = now + ttl }, entry))
            {
                return ValueTask.FromResult<string?>(entry.Node);
            }
        }

        return ValueTask.FromResult<string?>(null);
    }

    public ValueTask PinAsync(string session, string node, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= capacity && !_entries.ContainsKey(session))
        {
            Sweep(now);
            if (_entries.Count >= capacity)
            {
                return ValueTask.CompletedTask;
            }
        }

        _entries[session] = new Entry(node, now + ttl);
        return ValueTask.CompletedTask;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                _entries.TryRemove(pair);
            }
        }
    }

    private sealed record Entry(string Node, DateTimeOffset ExpiresAt);
}
