using ContextLite.Benchmarks.Corpus;
using ContextLite.Text;

namespace ContextLite.Core.Tests.Text;

/// <summary>
/// The chunker's one-pass path (a <see cref="TiktokenCounter"/> tokenises a document once, see <see cref="TokenPieces"/>)
/// against the path that counts every line, every chunk and the document on its own (any other counter).
/// </summary>
public sealed class TokenPiecesTests
{
    private static readonly TiktokenCounter s_counter = TiktokenCounter.Cl100k;

    public static TheoryData<string> AwkwardDocuments => new()
    {
        "x",
        "\n",
        "\n\n\n\n",
        "\r\n\r\n\r\n",
        "   \n\t\n  \t \n",
        "no final newline",
        "alpha\r\nbeta\r\n\r\ngamma\r\n",
        "mixed\r\nendings\nhere\r\n\r\n\nand \r alone\n",
        "a\n\nb\n\n\n\nc\n   \n    d\n\t\te\n",
        "}\n\n    }\n\n\n  return x;\n",
        "trailing spaces   \n   leading spaces\n \n \n",
        "日本語のテキストです。\n中文文本，测试分块。\n\n한국어 문장\nрусский текст\n",
        "😀🎉👍🏽\n👨‍👩‍👧‍👦\n\n🇯🇵 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱\n",
        "e\u0301 café naïve\u00a0nbsp\n\u00a0\n\u2028line separator\u2029para\n",
        "<|endoftext|>\n<|endoftext|> and <|fim_prefix|> as text\n\n<|endofprompt|>",
        "12345678901234567890\n3.14159\n\n0xFF 0xFF\n",
        "'s 't 're\n've 'm 'll 'd\n\n'S 'T\n",
    };

    [Theory]
    [MemberData(nameof(AwkwardDocuments))]
    public void SplitAndCount_AwkwardDocument_SameChunksAndCountsAsCountingEachSpan(string document)
    {
        foreach (var maxTokens in (int[])[4, 8, 64, 512])
        {
            AssertSameAsDirect(document, maxTokens);
        }
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 64)]
    [InlineData(3, 512)]
    [InlineData(4, 100)]
    public void SplitAndCount_SeededRandomDocuments_SameChunksAndCountsAsCountingEachSpan(int seed, int maxTokens)
    {
        // Arrange: prose, code, runs of blank and white-space-only lines, very long lines, CRLF, emoji, CJK.
        var random = new Random(seed);
        for (var n = 0; n < 40; n++)
        {
            // Act + Assert
            AssertSameAsDirect(RandomDocuments.Document(random), maxTokens);
        }
    }

    [Fact]
    public void SplitAndCount_BenchmarkCorpus_SameChunksAndCountsAsCountingEachSpan()
    {
        // Arrange: the ingest benchmark's markdown and C#-like documents.
        foreach (var document in SyntheticCorpus.Generate(150, seed: 20_250_101))
        {
            // Act + Assert
            AssertSameAsDirect(document.Content, 512);
        }
    }

    [Fact]
    public void SplitAndCount_EmptyDocument_NoChunksAndNoTokens()
    {
        // Act
        var (chunks, tokens) = new Chunker(s_counter, 64).SplitAndCount(string.Empty);

        // Assert
        Assert.Empty(chunks);
        Assert.Equal(0, tokens);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Count_EverySpanBetweenLineStarts_EqualsCountingTheSpanAlone(int seed)
    {
        // Arrange
        var random = new Random(seed);
        for (var n = 0; n < 8; n++)
        {
            var document = RandomDocuments.Document(random);
            var starts = LineStarts(document);

            // Act
            var pieces = s_counter.Pieces(document);

            // Assert
            Assert.NotNull(pieces);
            Assert.Equal(s_counter.Count(document), pieces.Total);
            for (var i = 0; i < starts.Count; i++)
            {
                for (var j = i + 1; j < starts.Count && j <= i + 12; j++)
                {
                    Assert.Equal(s_counter.Count(document.AsSpan(starts[i], starts[j] - starts[i])), pieces.Count(starts[i], starts[j]));
                }
            }
        }
    }

    [Fact]
    public void Pieces_BenchmarkDocuments_MostLineStartsAreBoundariesSoFewSpansAreTokenisedAgain()
    {
        // Arrange
        var lines = 0;
        var boundaries = 0;
        foreach (var document in SyntheticCorpus.Generate(20, seed: 3))
        {
            // Act
            var pieces = s_counter.Pieces(document.Content);

            // Assert (below)
            Assert.NotNull(pieces);
            foreach (var start in LineStarts(document.Content))
            {
                lines++;
                boundaries += pieces.IsBoundary(start) ? 1 : 0;
            }
        }

        // Assert: a run of blank lines is one piece, so some line starts are inside one, but most are not.
        Assert.True(boundaries > lines / 2, $"{boundaries} of {lines} line starts are piece boundaries");
    }

    private static void AssertSameAsDirect(string document, int maxTokens)
    {
        var fast = new Chunker(s_counter, maxTokens).SplitAndCount(document);
        var direct = new Chunker(new RecordingCounter(), maxTokens).SplitAndCount(document);

        Assert.Equal(direct.Tokens, fast.Tokens);
        Assert.Equal(s_counter.Count(document), fast.Tokens);
        Assert.Equal(direct.Chunks, fast.Chunks);
        ChunkerTests.AssertInvariants(document, fast.Chunks, maxTokens);
    }

    private static List<int> LineStarts(string document)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < document.Length; i++)
        {
            if (document[i] == '\n' && i + 1 < document.Length)
            {
                starts.Add(i + 1);
            }
        }

        starts.Add(document.Length);
        return starts;
    }

    /// <summary>cl100k_base counting through the plain interface (so the chunker counts each span on its own), recording calls.</summary>
    private sealed class RecordingCounter : ITokenCounter
    {
        public int Calls { get; private set; }

        public string Encoding => s_counter.Encoding;

        public int Count(ReadOnlySpan<char> text)
        {
            Calls++;
            return s_counter.Count(text);
        }

        public int PrefixLengthWithin(ReadOnlySpan<char> text, int maxTokens) => s_counter.PrefixLengthWithin(text, maxTokens);
    }
}
