using System.Text;
using ContextLite.Text;
using Microsoft.ML.Tokenizers;

namespace ContextLite.Core.Tests.Text;

/// <summary>Our cl100k_base pre-tokenizer against the tokenizer's regular expression, piece for piece.</summary>
public sealed class Cl100kPiecesTests
{
    private static readonly TiktokenTokenizer s_reference = TiktokenTokenizer.CreateForEncoding(TiktokenCounter.Cl100kBase);
    private static readonly string[] s_specialTokens = [.. s_reference.SpecialTokens!.Keys];

    // Every class the expression tells apart: ASCII letters and the contraction letters, other scripts, digits
    // of several kinds, combining marks, symbols, every kind of white space and line break, surrogate pairs,
    // lone surrogates, and the pieces of special tokens.
    private static readonly string[] s_atoms =
    [
        "a", "b", "z", "Q", "s", "S", "d", "D", "m", "t", "T", "l", "L", "v", "V", "r", "R", "e", "E", "'", "’",
        "é", "ß", "Ω", "ж", "日", "本", "한", "ا", "ſ", "K", "\u0301", "\u0903", "0", "7", "٣", "１", "Ⅻ", "½", "²",
        ".", ",", "-", "_", "(", ")", "{", "}", "<", "|", ">", "=", "+", "*", "/", "\\", "#", "@", "$", "%", "&", "!", "?", ":", ";", "\"", "`", "~", "^",
        " ", " ", " ", "\t", "\n", "\n", "\r", "\r\n", "\v", "\f", "\u0085", "\u00a0", "\u2028", "\u2029", "\u3000", "\u200b",
        "😀", "👍🏽", "𝔘", "𠜎", "\ud83d", "\udc00", "<|", "|>", "endoftext", "<|endoftext|>", "<|fim_prefix|>", "<|endofprompt|>",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Pieces_SeededTextOfEveryClass_SameAsTheTokenizers(int seed)
    {
        // Arrange
        var random = new Random(seed);
        for (var n = 0; n < 2_000; n++)
        {
            var text = new StringBuilder();
            for (var k = random.Next(1, 60); k > 0; k--)
            {
                text.Append(s_atoms[random.Next(s_atoms.Length)]);
            }

            AssertSamePieces(text.ToString());
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Pieces_SeededDocuments_SameAsTheTokenizers(int seed)
    {
        // Arrange
        var random = new Random(seed);
        for (var n = 0; n < 50; n++)
        {
            AssertSamePieces(RandomDocuments.Document(random));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("  trailing spaces  ")]
    [InlineData("line\n\n\n  indented\r\n\tx")]
    [InlineData("don't we'll I'M they've you're 'S 'LL")]
    [InlineData("1234567 12 3.14159 0xFF")]
    [InlineData("a  <|endoftext|>  b<|fim_prefix|>")]
    [InlineData("<|endoftext|><|endoftext|>")]
    [InlineData("<|notspecial|> <| |>")]
    [InlineData("   \n")]
    [InlineData("x \n")]
    public void Pieces_KnownText_SameAsTheTokenizers(string text)
    {
        // Act + Assert
        AssertSamePieces(text);
    }

    private static void AssertSamePieces(string text)
    {
        var expected = s_reference.PreTokenizer!.PreTokenize(text).ToList();
        var actual = new List<(int, int)>();
        foreach (var piece in new Cl100kPieces(text, s_specialTokens))
        {
            actual.Add(piece);
        }

        Assert.True(expected.SequenceEqual(actual), $"pieces of {System.Text.Json.JsonSerializer.Serialize(text)}: expected [{string.Join(' ', expected)}], got [{string.Join(' ', actual)}]");
    }
}
