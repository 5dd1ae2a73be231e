using ContextLite.Text;

namespace ContextLite.Core.Tests.Text;

public sealed class TiktokenCounterTests
{
    private readonly TiktokenCounter _counter = TiktokenCounter.Cl100k;

    // Published cl100k_base counts (OpenAI cookbook "How to count tokens with tiktoken"), cross-checked
    // against the independent js-tiktoken implementation.
    [Theory]
    [InlineData("", 0)]
    [InlineData("hello world", 2)]
    [InlineData("tiktoken is great!", 6)]
    [InlineData("antidisestablishmentarianism", 6)]
    [InlineData("2 + 2 = 4", 7)]
    [InlineData("お誕生日おめでとう", 9)]
    [InlineData("The quick brown fox jumps over the lazy dog.", 10)]
    [InlineData("def add(a, b):\n    return a + b\n", 12)]
    [InlineData("😀", 2)]
    public void Count_KnownText_MatchesCl100kBase(string text, int expected)
    {
        // Act
        var count = _counter.Count(text);

        // Assert
        Assert.Equal(expected, count);
    }

    [Fact]
    public void Count_SliceOfLargerText_CountsOnlyTheSlice()
    {
        // Arrange
        var text = "xx hello world yy";

        // Act
        var count = _counter.Count(text.AsSpan(3, "hello world".Length));

        // Assert
        Assert.Equal(2, count);
    }

    [Fact]
    public void Encoding_IsCl100kBase()
    {
        // Assert
        Assert.Equal("cl100k_base", _counter.Encoding);
        Assert.Equal(TiktokenCounter.Cl100kBase, _counter.Encoding);
    }

    [Theory]
    [InlineData("hello world", 1, 5)]
    [InlineData("hello world", 2, 11)]
    [InlineData("hello world", 100, 11)]
    [InlineData("2 + 2 = 4", 3, 4)]
    [InlineData("😀😀😀", 1, 0)]
    [InlineData("😀😀😀", 3, 2)]
    [InlineData("", 5, 0)]
    public void PrefixLengthWithin_Budget_CutsOnTokenBoundary(string text, int maxTokens, int expectedLength)
    {
        // Act
        var length = _counter.PrefixLengthWithin(text, maxTokens);

        // Assert
        Assert.Equal(expectedLength, length);
    }

    [Fact]
    public void PrefixLengthWithin_SeededRandomText_PrefixFitsAndNeverSplitsSurrogatePair()
    {
        // Arrange
        var random = new Random(20240601);
        for (var round = 0; round < 200; round++)
        {
            var text = RandomDocuments.Line(random, random.Next(1, 400));
            var budget = random.Next(1, 40);

            // Act
            var length = _counter.PrefixLengthWithin(text, budget);

            // Assert
            Assert.InRange(length, 0, text.Length);
            Assert.True(_counter.Count(text.AsSpan(0, length)) <= budget, $"prefix of '{text}' exceeds {budget}");
            Assert.False(length > 0 && length < text.Length && char.IsLowSurrogate(text[length]), "cut inside a surrogate pair");
        }
    }

    [Fact]
    public void PrefixLengthWithin_ZeroBudget_ReturnsZero()
    {
        // Act: the contract rejects only negative budgets, so zero means "no tokens fit".
        var length = _counter.PrefixLengthWithin("hello world", 0);

        // Assert
        Assert.Equal(0, length);
    }

    [Fact]
    public void PrefixLengthWithin_NegativeBudget_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => _counter.PrefixLengthWithin("hello", -1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cl100k_base")]
    [InlineData("gpt-4")]
    [InlineData(" GPT-4-0613 ")]
    [InlineData("gpt-3.5-turbo-16k")]
    [InlineData("text-embedding-3-small")]
    public void TryGet_SupportedEncodingOrModel_ReturnsCl100k(string? name)
    {
        // Act
        var ok = TiktokenCounter.TryGet(name, out var counter);

        // Assert
        Assert.True(ok);
        Assert.Same(TiktokenCounter.Cl100k, counter);
    }

    [Theory]
    [InlineData("o200k_base")]
    [InlineData("gpt-4o")]
    [InlineData("p50k_base")]
    public void TryGet_UnshippedEncoding_ReturnsFalse(string name)
    {
        // Act
        var ok = TiktokenCounter.TryGet(name, out _);

        // Assert
        Assert.False(ok);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Count_SeededAwkwardDocuments_EqualsTheTokenizersOwnCount(int seed)
    {
        // Arrange: Count sums cached per-piece counts; the library's CountTokens is the reference.
        var reference = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding(TiktokenCounter.Cl100kBase);
        var random = new Random(seed);
        for (var n = 0; n < 30; n++)
        {
            var document = RandomDocuments.Document(random);

            // Act
            var first = _counter.Count(document);
            var again = _counter.Count(document);

            // Assert
            Assert.Equal(reference.CountTokens(document), first);
            Assert.Equal(first, again);
        }
    }
}
