using ContextLite.Benchmarks.Corpus;
using ContextLite.Benchmarks.Drain;

namespace ContextLite.Core.Tests.Benchmarks;

public sealed class DrainQueriesTests
{
    [Fact]
    public void Generate_SameSeed_SameQueriesOfTwoToFourCorpusWords()
    {
        var corpus = SyntheticCorpus.Generate(50, seed: 3);

        var first = DrainQueries.Generate(corpus, 40, seed: 5);
        var second = DrainQueries.Generate(corpus, 40, seed: 5);

        Assert.Equal(first, second);
        Assert.Equal(40, first.Count);
        var text = string.Join('\n', corpus.Select(d => d.Content)).ToLowerInvariant();
        Assert.All(first, query =>
        {
            var words = query.Split(' ');
            Assert.InRange(words.Length, 2, 4);
            Assert.All(words, word => Assert.Contains(word, text, StringComparison.Ordinal));
            Assert.DoesNotContain("public", words);
        });
    }
}
