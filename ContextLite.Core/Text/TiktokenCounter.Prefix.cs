using System.Buffers;

namespace ContextLite.Text;

/// <summary>Cutting a text after its first tokens.</summary>
public sealed partial class TiktokenCounter
{
    /// <inheritdoc />
    /// <remarks>
    /// The prefix is the text's first tokens: whole pieces while they fit, then the first tokens of the piece
    /// that does not, backed off to the last token end that is also a character boundary (a token can end
    /// inside a character's UTF-8 bytes). This is the tokenizer's own <c>GetIndexByTokenCount</c>, which the
    /// tests compare it with, but only the piece that overflows is merged token by token, in O(n log n), so
    /// a megabyte-long piece costs a fraction of a second instead of hours.
    /// </remarks>
    public int PrefixLengthWithin(ReadOnlySpan<char> text, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        if (text.IsEmpty || maxTokens == 0)
        {
            return 0;
        }

        if (_ranks is null)
        {
            return _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
        }

        var total = 0;
        foreach (var (offset, length) in new Cl100kPieces(text, _specialTokenList))
        {
            var piece = text.Slice(offset, length);
            var count = PieceCount(piece);
            if (total + count > maxTokens)
            {
                return offset + PiecePrefixLength(piece, maxTokens - total);
            }

            total += count;
        }

        return text.Length;
    }

    // The characters of the piece's first `budget` tokens, cut back to a character boundary.
    private int PiecePrefixLength(ReadOnlySpan<char> piece, int budget)
    {
        if (budget <= 0 || _ranks is null || (piece[0] == '<' && _specialTokens.ContainsKey(piece)))
        {
            // A special token is one token that cannot be split, and it does not fit.
            return 0;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(piece.Length * 3);
        try
        {
            var ends = new List<int>();
            _ranks.TokenEnds(bytes.AsSpan(0, ToUtf8(piece, bytes)), ends);
            var limit = ends[Math.Min(budget, ends.Count) - 1];

            // Walk the characters with their UTF-8 sizes (a lone surrogate takes three bytes, as in ToUtf8) and
            // keep the furthest character boundary that is one of the allowed token ends.
            var best = 0;
            var position = 0;
            var next = 0;
            for (var i = 0; i < piece.Length && position < limit;)
            {
                var pair = char.IsHighSurrogate(piece[i]) && i + 1 < piece.Length && char.IsLowSurrogate(piece[i + 1]);
                position += pair ? 4 : Utf8Length(piece[i]);
                i += pair ? 2 : 1;
                while (next < ends.Count && ends[next] < position)
                {
                    next++;
                }

                if (position <= limit && next < ends.Count && ends[next] == position)
                {
                    best = i;
                }
            }

            return best;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        static int Utf8Length(char c) => c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
}
