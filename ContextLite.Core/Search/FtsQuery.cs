using System.Text;

namespace ContextLite.Search;

/// <summary>
/// Turns any user text into a safe FTS5 expression: the text's words, each double-quoted (so FTS5 operators,
/// quotes, <c>*</c>, <c>NEAR</c>, <c>-</c> and parentheses in the input are just characters), joined with OR.
/// </summary>
/// <remarks>
/// A word is a run of letters or digits, lower-cased; that is how the index's unicode61 tokenizer splits
/// too, so a quoted word is always one index token (or a phrase of them for scripts it splits further).
/// Common English function words are dropped when other words remain: with OR semantics they match nearly
/// every chunk and only add work. A syntax error from user input is impossible by construction.
/// </remarks>
public sealed class FtsQuery
{
    /// <summary>The most terms a query keeps.</summary>
    public const int MaxTerms = 64;

    private const int MaxTermLength = 64;

    private static readonly HashSet<string> s_stopwords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "how", "in", "is", "it", "its",
        "of", "on", "or", "that", "the", "this", "to", "was", "were", "what", "when", "where", "which", "who", "why",
        "will", "with", "does", "do", "did", "can", "not", "no",
    };

    private FtsQuery(IReadOnlyList<string> terms)
    {
        Terms = terms;
        Expression = terms.Count == 0 ? null : Join(terms);
    }

    /// <summary>The distinct terms, in order of first appearance.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>The FTS5 MATCH expression, or null when the text has no words.</summary>
    public string? Expression { get; }

    /// <summary>The OR of <paramref name="terms"/>, each a quoted FTS5 string (so operators in them are just characters).</summary>
    public static string Join(IEnumerable<string> terms) =>
        string.Join(" OR ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    /// <summary>Builds the query for <paramref name="text"/>.</summary>
    public static FtsQuery Parse(string? text)
    {
        var all = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var rune in (text ?? string.Empty).EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }

            Flush(word, all, seen);
        }

        Flush(word, all, seen);
        var content = all.Where(t => !s_stopwords.Contains(t)).ToList();
        var terms = (content.Count > 0 ? content : all).Take(MaxTerms).ToList();
        return new FtsQuery(terms);
    }

    private static void Flush(StringBuilder word, List<string> terms, HashSet<string> seen)
    {
        if (word.Length == 0)
        {
            return;
        }

        var term = word.Length > MaxTermLength ? word.ToString(0, MaxTermLength) : word.ToString();
        word.Clear();
        if (seen.Add(term))
        {
            terms.Add(term);
        }
    }
}
