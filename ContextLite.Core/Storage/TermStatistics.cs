using System.Collections.Concurrent;

namespace ContextLite.Storage;

/// <summary>
/// Document frequencies of query terms in one workspace's lexical index, cached because counting a common
/// term reads its whole posting list (as long as scoring it would).
/// </summary>
/// <remarks>
/// A count stays in use until the chunks written since (added plus removed) exceed a tenth of the chunks the
/// workspace held when it was taken: a frequency off by at most that much still says which terms are common,
/// which is all <see cref="WorkspaceStore.SearchLexical(IReadOnlyList{string}, int, long)"/> uses it for.
/// </remarks>
internal sealed class TermStatistics
{
    /// <summary>Drift allowed before a count is taken again, as a share of the chunk total when it was taken.</summary>
    private const double StaleShare = 0.1;

    /// <summary>Drift always allowed (small workspaces would otherwise recount on every write).</summary>
    private const long StaleFloor = 64;

    /// <summary>Terms remembered; the cache starts over past this.</summary>
    private const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, Count> _frequencies = new(StringComparer.Ordinal);
    private Count? _total;
    private long _changes;

    /// <summary>Records that <paramref name="chunks"/> chunks were added or removed.</summary>
    public void OnChunksChanged(int chunks) => Interlocked.Add(ref _changes, chunks);

    /// <summary>The number of chunks, from the cache or <paramref name="count"/>.</summary>
    public long Total(Func<long> count)
    {
        var changes = Interlocked.Read(ref _changes);
        if (Volatile.Read(ref _total) is { } cached && Fresh(cached, changes, cached.Value))
        {
            return cached.Value;
        }

        var total = new Count(count(), changes);
        Volatile.Write(ref _total, total);
        return total.Value;
    }

    /// <summary>
    /// The number of chunks <paramref name="term"/> occurs in, or <paramref name="cap"/> when it is at least that
    /// many: <paramref name="count"/>(term, cap) counts at most cap postings. A count capped at c answers any cap ≤ c.
    /// </summary>
    /// <remarks>
    /// Counting a common word reads its whole posting list (a million entries at 1M chunks, ~0.2 s), while the
    /// lexical budget only needs to know that it is above the budget.
    /// </remarks>
    public long Frequency(string term, long total, long cap, Func<string, long, long> count)
    {
        var changes = Interlocked.Read(ref _changes);
        if (_frequencies.TryGetValue(term, out var cached) && Fresh(cached, changes, total) && (cached.Value < cached.Cap || cached.Cap >= cap))
        {
            return Math.Min(cached.Value, cap);
        }

        if (_frequencies.Count >= Capacity)
        {
            _frequencies.Clear();
        }

        var frequency = new Count(Math.Min(count(term, cap), cap), changes, cap);
        _frequencies[term] = frequency;
        return frequency.Value;
    }

    private static bool Fresh(Count count, long changes, long total) =>
        changes - count.Changes <= Math.Max(StaleFloor, (long)(total * StaleShare));

    /// <summary>A count taken at most up to <paramref name="Cap"/>: Value = Cap means "at least Cap".</summary>
    private sealed record Count(long Value, long Changes, long Cap = long.MaxValue);
}
