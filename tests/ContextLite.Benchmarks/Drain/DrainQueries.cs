using ContextLite.Storage;

namespace ContextLite.Benchmarks.Drain;

/// <summary>
/// Query texts for the loop: two to four words taken from one document of the corpus each, so that every query
/// has lexical matches (as a user's question about their own project does) and the route reflects the engine's
/// confidence, not an empty result.
/// </summary>
internal static class DrainQueries
{
    // C# keywords and the generator's boilerplate would turn most code queries into the same few words.
    private static readonly HashSet<string> s_boilerplate = new(StringComparer.Ordinal)
    {
        "using", "namespace", "public", "private", "readonly", "sealed", "class", "return", "await", "async",
        "foreach", "summary", "csharp", "https", "example", "cancellationtoken", "count",
    };

    /// <summary><paramref name="count"/> queries; the same corpus and seed give the same queries.</summary>
    public static IReadOnlyList<string> Generate(IReadOnlyList<DocumentInput> corpus, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var random = new Random(seed);
        var queries = new List<string>(count);
        while (queries.Count < count)
        {
            var words = Words(corpus[random.Next(corpus.Count)].Content);
            if (words.Count < 4)
            {
                continue;
            }

            var picked = new string[random.Next(2, 5)];
            for (var i = 0; i < picked.Length; i++)
            {
                picked[i] = words[random.Next(words.Count)];
            }

            queries.Add(string.Join(' ', picked));
        }

        return queries;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsAsciiLetter(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                var word = text[start..i].ToLowerInvariant();
                if (word.Length >= 4 && !s_boilerplate.Contains(word))
                {
                    words.Add(word);
                }

                start = -1;
            }
        }

        return words;
    }
}
