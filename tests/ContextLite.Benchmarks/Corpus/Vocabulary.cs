using System.Text;

namespace ContextLite.Benchmarks.Corpus;

/// <summary>
/// A ranked word list: common English and programming words first, then invented words built from
/// syllables, so the tail is long (like identifiers in a real repository) but reproducible.
/// </summary>
internal sealed class Vocabulary
{
    private static readonly string[] s_common =
    [
        "the", "of", "to", "and", "a", "in", "is", "it", "that", "for", "return", "var", "if", "new", "this",
        "value", "public", "string", "on", "with", "as", "be", "int", "null", "class", "not", "are", "by", "data",
        "from", "or", "void", "an", "file", "name", "context", "workspace", "document", "token", "index", "await",
        "async", "result", "error", "list", "path", "config", "user", "request", "response", "item", "count",
        "query", "search", "cache", "node", "chunk", "options", "should", "when", "can", "each", "all", "we",
        "will", "use", "type", "get", "set", "test", "run", "server", "client", "store", "key", "model", "time",
    ];

    private static readonly string[] s_syllables =
    [
        "ka", "lo", "ren", "ti", "mar", "so", "vel", "qu", "in", "dra", "pe", "ton", "ax", "li", "mo", "zen",
        "ri", "co", "bal", "ne", "sto", "gri", "fa", "um", "hel", "dor", "ix", "ta", "ver", "plo", "cha", "en",
    ];

    private Vocabulary(string[] words) => Words = words;

    /// <summary>Words by rank, most frequent first.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Builds <paramref name="size"/> distinct words from <paramref name="random"/>.</summary>
    public static Vocabulary Create(Random random, int size)
    {
        var words = new List<string>(size);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in s_common.Take(size))
        {
            seen.Add(word);
            words.Add(word);
        }

        var builder = new StringBuilder();
        while (words.Count < size)
        {
            builder.Clear();
            for (var s = random.Next(1, 5); s > 0; s--)
            {
                builder.Append(s_syllables[random.Next(s_syllables.Length)]);
            }

            var word = builder.ToString();
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        return new Vocabulary([.. words]);
    }
}
