using System.Text;
using ContextLite.Text;

namespace ContextLite.Core.Tests.Text;

public sealed class ChunkerTests
{
    private static readonly TiktokenCounter s_counter = TiktokenCounter.Cl100k;

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 32)]
    [InlineData(3, 64)]
    [InlineData(4, 128)]
    [InlineData(5, 512)]
    public void Split_SeededRandomDocuments_KeepsEveryInvariant(int seed, int maxTokens)
    {
        // Arrange
        var random = new Random(seed);
        var chunker = new Chunker(s_counter, maxTokens);

        for (var n = 0; n < 40; n++)
        {
            var document = RandomDocuments.Document(random);

            // Act
            var chunks = chunker.Split(document);

            // Assert
            AssertInvariants(document, chunks, maxTokens);
        }
    }

    [Fact]
    public void Split_EmptyText_ReturnsNoChunks()
    {
        // Act
        var chunks = new Chunker(s_counter, 64).Split(string.Empty);

        // Assert
        Assert.Empty(chunks);
    }

    [Fact]
    public void Split_SmallDocument_ReturnsOneChunkWithExactCount()
    {
        // Arrange
        var document = "hello world\nsecond line\n\nthird paragraph";

        // Act
        var chunks = new Chunker(s_counter, 64).Split(document);

        // Assert
        var chunk = Assert.Single(chunks);
        Assert.Equal(new Chunk(0, 1, 4, document, s_counter.Count(document)), chunk);
    }

    [Fact]
    public void Split_CrlfDocument_KeepsTerminatorsAndCountsLines()
    {
        // Arrange
        var document = "alpha\r\nbeta\r\n\r\ngamma\r\n";

        // Act
        var chunks = new Chunker(s_counter, 64).Split(document);

        // Assert
        var chunk = Assert.Single(chunks);
        Assert.Equal(document, chunk.Text);
        Assert.Equal(1, chunk.StartLine);
        Assert.Equal(4, chunk.EndLine);
    }

    [Fact]
    public void Split_SingleEnormousLine_SplitsIntoSeveralChunksOnThatLine()
    {
        // Arrange: line 2 is about 5,000 tokens; lines 1 and 3 are short.
        var random = new Random(42);
        var longLine = RandomDocuments.Line(random, 20_000);
        var document = "header\n" + longLine + "\nfooter\n";
        const int maxTokens = 100;

        // Act
        var chunks = new Chunker(s_counter, maxTokens).Split(document);

        // Assert
        AssertInvariants(document, chunks, maxTokens);
        var onLongLine = chunks.Where(c => c.StartLine == 2 && c.EndLine == 2).ToList();
        Assert.True(onLongLine.Count >= s_counter.Count(longLine) / maxTokens, $"only {onLongLine.Count} chunks on line 2");
        Assert.Equal(longLine + "\n", string.Concat(onLongLine.Select(c => c.Text)));
        Assert.All(onLongLine, c => Assert.InRange(c.Tokens, 1, maxTokens));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Split_MegabyteLineWithoutSpaces_KeepsEveryInvariantAndFillsChunks(bool oneLetter)
    {
        // Arrange: one 1,000,000-letter piece (a pasted blob). Before the tokenizer's merge was replaced and
        // the cut looked at a window, this document took about an hour to split; every chunk was a full
        // re-tokenisation of the rest of the line.
        var random = new Random(3);
        var blob = oneLetter
            ? new string('a', 1_000_000)
            : string.Create(1_000_000, random, (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = (char)('a' + r.Next(26));
                }
            });
        var document = "before\n" + blob + "\nafter\n";
        const int maxTokens = 512;

        // Act
        var (chunks, tokens) = new Chunker(s_counter, maxTokens).SplitAndCount(document);

        // Assert
        AssertInvariants(document, chunks, maxTokens);
        Assert.Equal(s_counter.Count(document), tokens);
        var onBlob = chunks.Where(c => c.StartLine == 2 && c.EndLine == 2).ToList();
        Assert.True(onBlob.Count <= (tokens / (maxTokens - 16)) + 2, $"{onBlob.Count} chunks for {tokens} tokens: the cuts do not fill the budget");
    }

    [Fact]
    public void Split_LongLineOfEmoji_NeverSplitsASurrogatePair()
    {
        // Arrange: every emoji is two UTF-16 units and two or more tokens, so cuts fall between emoji.
        var document = string.Concat(Enumerable.Repeat("😀👍🏽🎉𠜎", 300));
        const int maxTokens = 16;

        // Act
        var chunks = new Chunker(s_counter, maxTokens).Split(document);

        // Assert
        AssertInvariants(document, chunks, maxTokens);
        Assert.True(chunks.Count > 10);
        Assert.All(chunks, c => Assert.False(HasLoneSurrogate(c.Text), "chunk has a lone surrogate"));
    }

    [Fact]
    public void Split_ParagraphsThatFit_AreNeverSplit()
    {
        // Arrange: paragraphs of 3-6 short prose lines (well under the budget) separated by blank lines.
        var random = new Random(7);
        var text = new StringBuilder();
        var paragraphs = new List<(int First, int Last)>();
        var line = 1;
        for (var p = 0; p < 60; p++)
        {
            var lines = random.Next(3, 7);
            for (var k = 0; k < lines; k++)
            {
                text.Append(Prose(random, random.Next(3, 6))).Append('\n');
            }

            text.Append('\n');
            paragraphs.Add((line, line + lines));
            line += lines + 1;
        }

        var document = text.ToString();
        const int maxTokens = 64;

        // Act
        var chunks = new Chunker(s_counter, maxTokens).Split(document);

        // Assert
        AssertInvariants(document, chunks, maxTokens);
        Assert.True(chunks.Count > 5);
        foreach (var (first, last) in paragraphs)
        {
            Assert.Contains(chunks, c => c.StartLine <= first && c.EndLine >= last);
        }

        Assert.All(chunks, c => Assert.Contains(paragraphs, p => p.First == c.StartLine));
    }

    [Fact]
    public void Split_ThreeParagraphsWhereTwoFit_PacksGreedily()
    {
        // Arrange: each paragraph is about 25 tokens; two fit in 60, three do not.
        var random = new Random(11);
        var a = Prose(random, 22) + "\n\n";
        var b = Prose(random, 22) + "\n\n";
        var c = Prose(random, 22) + "\n";
        Assert.True(s_counter.Count(a + b) <= 60 && s_counter.Count(a + b + c) > 60, "arrangement");

        // Act
        var chunks = new Chunker(s_counter, 60).Split(a + b + c);

        // Assert
        Assert.Equal([a + b, c], chunks.Select(x => x.Text));
        Assert.Equal((1, 4), (chunks[0].StartLine, chunks[0].EndLine));
        Assert.Equal((5, 5), (chunks[1].StartLine, chunks[1].EndLine));
    }

    [Fact]
    public void Constructor_BudgetBelowOne_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => new Chunker(s_counter, 0));
    }

    /// <summary>The invariants the rest of the engine relies on (see the remarks on <see cref="Chunker"/>).</summary>
    internal static void AssertInvariants(string document, IReadOnlyList<Chunk> chunks, int maxTokens)
    {
        Assert.Equal(document, string.Concat(chunks.Select(c => c.Text)));

        var totalLines = document.Count(c => c == '\n') + (document.EndsWith('\n') ? 0 : 1);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal(i, chunk.Ordinal);
            Assert.NotEmpty(chunk.Text);
            Assert.True(chunk.Tokens <= maxTokens, $"chunk {i} has {chunk.Tokens} tokens, over {maxTokens}");
            Assert.Equal(s_counter.Count(chunk.Text), chunk.Tokens);
            Assert.False(HasLoneSurrogate(chunk.Text), $"chunk {i} has a lone surrogate");

            var newlines = chunk.Text.Count(c => c == '\n');
            var expectedEnd = chunk.StartLine + newlines - (chunk.Text.EndsWith('\n') ? 1 : 0);
            Assert.Equal(expectedEnd, chunk.EndLine);

            if (i == 0)
            {
                Assert.Equal(1, chunk.StartLine);
            }
            else
            {
                var previous = chunks[i - 1];
                var expectedStart = previous.Text.EndsWith('\n') ? previous.EndLine + 1 : previous.EndLine;
                Assert.Equal(expectedStart, chunk.StartLine);
            }
        }

        if (chunks.Count > 0)
        {
            Assert.Equal(totalLines, chunks[^1].EndLine);
        }
    }

    private static string Prose(Random random, int words)
    {
        string[] vocabulary = ["alpha", "beta", "gamma", "delta", "river", "stone", "cloud", "green", "quiet", "north", "table", "light"];
        var text = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            text.Append(w == 0 ? string.Empty : " ").Append(vocabulary[random.Next(vocabulary.Length)]);
        }

        return text.Append('.').ToString();
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
