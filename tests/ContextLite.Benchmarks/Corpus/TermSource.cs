using System.Text;

namespace ContextLite.Benchmarks.Corpus;

/// <summary>Zipf-distributed words, identifiers and sentences from one seeded <see cref="System.Random"/>.</summary>
internal sealed class TermSource(Random random, Vocabulary vocabulary, ZipfSampler sampler)
{
    public Random Random { get; } = random;

    public string Word() => vocabulary.Words[sampler.Next(Random)];

    /// <summary>An identifier such as <c>WorkspaceKalo</c>: one or two words, each capitalised.</summary>
    public string Pascal()
    {
        var text = new StringBuilder();
        for (var k = Random.Next(1, 3); k > 0; k--)
        {
            var word = Word();
            text.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
        }

        return text.ToString();
    }

    public string Sentence(int minWords, int maxWords, bool period)
    {
        var text = new StringBuilder();
        var words = Random.Next(minWords, maxWords + 1);
        for (var w = 0; w < words; w++)
        {
            var word = Word();
            if (w == 0)
            {
                text.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
            }
            else
            {
                text.Append(Random.Next(12) == 0 ? ", " : " ").Append(word);
            }
        }

        return period ? text.Append('.').ToString() : text.ToString();
    }
}
