using System.Collections.Concurrent;
using ContextLite.Search;

namespace ContextLite.Storage;

/// <summary>
/// The lexical hits of queries that come down to one common term, for the workspace version they were scored at.
/// </summary>
/// <remarks>
/// When every term of a query has more postings than the lexical budget, only the rarest is searched, and FTS5
/// scores each of its postings before it sorts: one word in a quarter of a million chunks costs 160 ms at 1M, the
/// whole of the 1M p99. The same common words come back query after query, and their best chunks change only
/// when the workspace does, so the hits are kept per (term, limit) and used while the version they were scored at
/// is current. Bounded: the table starts over past <see cref="Capacity"/> terms.
/// </remarks>
internal sealed class CommonTermHits
{
    /// <summary>Terms remembered (each up to the candidate limit, 200 hits by default, ~2.4 KB).</summary>
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<(string Term, int Limit), Entry> _hits = new();

    /// <summary>The hits stored for (term, limit) at <paramref name="version"/>, if any.</summary>
    public bool TryGet(string term, int limit, long version, out IReadOnlyList<ScoredId> hits)
    {
        if (_hits.TryGetValue((term, limit), out var entry) && entry.Version == version)
        {
            hits = entry.Hits;
            return true;
        }

        hits = [];
        return false;
    }

    /// <summary>Stores the hits for (term, limit) scored at <paramref name="version"/>.</summary>
    public void Set(string term, int limit, long version, IReadOnlyList<ScoredId> hits)
    {
        if (_hits.Count >= Capacity)
        {
            _hits.Clear();
        }

        _hits[(term, limit)] = new Entry(version, [.. hits]);
    }

    private sealed record Entry(long Version, ScoredId[] Hits);
}
