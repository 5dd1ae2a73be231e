using System.Globalization;
using System.Text;
using ContextLite.Search;
using Microsoft.Data.Sqlite;

namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    private const string LexicalQuery =
        "SELECT rowid, -bm25(chunks_fts, 1.0, 0.5) AS score FROM chunks_fts WHERE chunks_fts MATCH $q ORDER BY bm25(chunks_fts, 1.0, 0.5) LIMIT $limit";

    // FTS5 stops walking the posting list once the LIMIT is reached (long.MaxValue counts it all).
    private const string CountMatchesUpTo = "SELECT COUNT(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH $q LIMIT $cap)";

    private const string CountChunks = "SELECT COUNT(*) FROM chunks";

    private const string SelectVersion = "SELECT value FROM meta WHERE key = 'version'";

    private static readonly string s_chunksWithText = ChunksQuery("c.text");

    private static readonly string s_chunksWithoutText = ChunksQuery("NULL");

    /// <summary>
    /// The best <paramref name="limit"/> chunks for an FTS5 expression by BM25 (text weighted 1, path 0.5),
    /// best first; scores are positive (FTS5's bm25() is negated).
    /// </summary>
    public IReadOnlyList<ScoredId> SearchLexical(string ftsExpression, int limit)
    {
        ArgumentNullException.ThrowIfNull(ftsExpression);
        using var session = RentForQuery();
        return Lexical(session, ftsExpression, limit);
    }

    /// <summary>
    /// The best <paramref name="limit"/> chunks by BM25 for the OR of <paramref name="terms"/> (words as
    /// <see cref="FtsQuery"/> makes them), scoring at most about <paramref name="maxPostings"/> chunks: the terms
    /// are taken rarest first while the sum of their document frequencies stays within it (the rarest always).
    /// </summary>
    /// <remarks>
    /// FTS5 scores every chunk that matches any OR-ed term before it sorts, so the cost of a query is the sum of
    /// its terms' document frequencies, and one common word makes it grow linearly with the workspace. The terms
    /// left out are the most common ones, whose inverse document frequency is the lowest: they move BM25 scores
    /// least, and the chunks they alone would add rank at the bottom of the list. 0 keeps every term.
    /// </remarks>
    /// <returns>The hits and how many of the terms were kept.</returns>
    public (IReadOnlyList<ScoredId> Hits, int TermsKept) SearchLexical(IReadOnlyList<string> terms, int limit, long maxPostings)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return ([], 0);
        }

        using var session = RentForQuery();
        var kept = maxPostings > 0 && terms.Count > 1 ? Rarest(session, terms, maxPostings) : terms;
        if (kept.Count != 1 || maxPostings <= 0 || !OverBudget(session, kept[0], maxPostings))
        {
            return (Lexical(session, FtsQuery.Join(kept), limit), kept.Count);
        }

        // One term over the budget: the version is read before the search, so hits are never stored under a
        // version older than the data they were scored on.
        var version = ParseLong(session.Command(SelectVersion, static _ => { }).ExecuteScalar() as string);
        if (!_commonTermHits.TryGet(kept[0], limit, version, out var hits))
        {
            hits = Lexical(session, FtsQuery.Join(kept), limit);
            _commonTermHits.Set(kept[0], limit, version, hits);
        }

        return (hits, 1);
    }

    private bool OverBudget(QueryConnections.Session session, string term, long maxPostings)
    {
        var total = _terms.Total(() => (long)session.Command(CountChunks, static _ => { }).ExecuteScalar()!);
        return _terms.Frequency(term, total, maxPostings + 1, (t, c) => CountPostings(session, t, c)) > maxPostings;
    }

    private List<string> Rarest(QueryConnections.Session session, IReadOnlyList<string> terms, long maxPostings)
    {
        var total = _terms.Total(() => (long)session.Command(CountChunks, static _ => { }).ExecuteScalar()!);

        // A term with more postings than the budget is only ever kept when it is the rarest of all, so counts stop
        // just above the budget; only when every term reaches that cap are they counted in full to find the rarest.
        var cap = maxPostings == long.MaxValue ? maxPostings : maxPostings + 1;
        var frequencies = Frequencies(cap);
        if (frequencies.All(f => f.Frequency >= cap))
        {
            frequencies = Frequencies(long.MaxValue);
        }

        var kept = new List<string>(terms.Count);
        long postings = 0;
        foreach (var (term, frequency) in frequencies)
        {
            if (kept.Count > 0 && postings + frequency > maxPostings)
            {
                break;
            }

            kept.Add(term);
            postings += frequency;
        }

        return kept;

        // Stable order (ties keep the query's order), so equal counts always keep the same terms.
        List<(string Term, long Frequency)> Frequencies(long upTo) =>
            [.. terms.Select(term => (Term: term, Frequency: _terms.Frequency(term, total, upTo, (t, c) => CountPostings(session, t, c)))).OrderBy(f => f.Frequency)];
    }

    private static string ChunksQuery(string text) => $"""
        SELECT c.id, c.doc_id, d.path, c.ordinal, c.start_line, c.end_line, c.tokens, {text}
        FROM chunks c JOIN documents d ON d.id = c.doc_id
        WHERE c.id IN (SELECT value FROM json_each($ids))
        """;

    private static long CountPostings(QueryConnections.Session session, string term, long upTo)
    {
        var count = session.Command(CountMatchesUpTo, static p =>
        {
            p.Add("$q", SqliteType.Text);
            p.Add("$cap", SqliteType.Integer);
        });
        count.Parameters[0].Value = FtsQuery.Join([term]);
        count.Parameters[1].Value = upTo;
        return (long)count.ExecuteScalar()!;
    }

    private static List<ScoredId> Lexical(QueryConnections.Session session, string ftsExpression, int limit)
    {
        var command = session.Command(LexicalQuery, static p =>
        {
            p.Add("$q", SqliteType.Text);
            p.Add("$limit", SqliteType.Integer);
        });
        command.Parameters[0].Value = ftsExpression;
        command.Parameters[1].Value = limit;
        using var reader = command.ExecuteReader();
        var hits = new List<ScoredId>(Math.Min(limit, 1024));
        while (reader.Read())
        {
            hits.Add(new ScoredId(reader.GetInt64(0), (float)reader.GetDouble(1)));
        }

        return hits;
    }

    /// <summary>The chunks with the given ids (missing ones are left out), keyed by id.</summary>
    public Dictionary<long, ChunkView> GetChunks(IReadOnlyCollection<long> ids, bool includeText)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var chunks = new Dictionary<long, ChunkView>(ids.Count);
        if (ids.Count == 0)
        {
            return chunks;
        }

        var list = new StringBuilder("[");
        foreach (var id in ids)
        {
            list.Append(id.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        list[^1] = ']';
        using var session = RentForQuery();
        var command = session.Command(includeText ? s_chunksWithText : s_chunksWithoutText, static p => p.Add("$ids", SqliteType.Text));
        command.Parameters[0].Value = list.ToString();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var view = new ChunkView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7));
            chunks[view.Id] = view;
        }

        return chunks;
    }

    /// <summary>The number of chunks in the workspace.</summary>
    public long ChunkCount()
    {
        using var session = RentForQuery();
        return (long)session.Command(CountChunks, static _ => { }).ExecuteScalar()!;
    }
}
