using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace ContextLite.Text;

/// <summary>
/// A tiktoken encoding's merge ranks in a flat open-addressing table, and the count of tokens its byte-pair
/// encoding gives one pre-tokenization piece.
/// </summary>
/// <remarks>
/// <para>
/// Counting new text spent most of its time in the tokenizer's byte-pair step: every candidate merge is a
/// lookup in a <c>Dictionary&lt;ReadOnlyMemory&lt;byte&gt;, int&gt;</c> through an interface, and each piece
/// also went through the tokenizer's own locked LRU cache (a string built per piece). Here a two-byte span is
/// an array index and a longer one a probe of a table whose keys sit in one byte array.
/// </para>
/// <para>
/// The merge loop is tiktoken's <c>_byte_pair_merge</c>: start from single bytes, repeatedly merge the
/// adjacent pair whose concatenation has the lowest rank (the leftmost on ties) until no adjacent pair is a
/// token. The count is the number of parts left. A piece that is itself a token counts 1 without merging.
/// The tests compare every count with <c>Microsoft.ML.Tokenizers</c> on real and awkward text.
/// </para>
/// </remarks>
internal sealed partial class BytePairRanks
{
    private const int NotAToken = int.MaxValue;

    // A slot packs the rank in the low 24 bits and the token's length above them.
    private const int LengthShift = 24;
    private const int MaxRank = (1 << LengthShift) - 1;
    private const int MaxTokenLength = 255;

    /// <summary>The data package's files start with the token count.</summary>
    private const string CapacityHeader = "Capacity:";

    /// <summary>Pieces up to this many UTF-8 bytes are merged in stack buffers; longer ones rent arrays.</summary>
    private const int StackLimit = 256;

    // Ranks of two-byte tokens, indexed by (first << 8) | second; NotAToken where the pair is not a token.
    private readonly int[] _pairs;

    // Tokens of three bytes or more, open addressing with linear probing at hash & _mask, one 16-byte slot each
    // so a probe touches one cache line: a token of up to 8 bytes is compared in the slot itself, a longer one
    // against _bytes. About 100K tokens in 2^18 slots is 4 MB at a load of 0.38.
    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly byte[] _bytes;

    private BytePairRanks(int[] pairs, Slot[] slots, byte[] bytes)
    {
        _pairs = pairs;
        _slots = slots;
        _mask = slots.Length - 1;
        _bytes = bytes;
    }

    /// <summary>
    /// Reads a tiktoken BPE file (a base64 token and its rank per line, or the token alone ranked by its line)
    /// and builds the table; null when some
    /// single byte is not a token, because the merge loop relies on every byte being one, as in tiktoken's
    /// byte-level encodings.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not a base64 token and a rank.</exception>
    public static BytePairRanks? Load(Stream tiktokenBpe)
    {
        var singles = new bool[256];
        var pairs = new int[65_536];
        Array.Fill(pairs, NotAToken);
        var longer = new List<(byte[] Token, int Rank)>(100_000);
        var totalBytes = 0;
        using var reader = new StreamReader(tiktokenBpe, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var next = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith(CapacityHeader, StringComparison.Ordinal))
            {
                continue;
            }

            // "token rank", or the token alone with its line's rank (the data package's form).
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var rank = next;
            if (space == 0 || (space > 0 && !int.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out rank)))
            {
                throw new InvalidDataException($"'{line}' is not a base64 token and a rank.");
            }

            next = rank + 1;
            byte[] token;
            try
            {
                token = Convert.FromBase64String(space > 0 ? line[..space] : line);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"'{line}' is not a base64 token and a rank.", e);
            }

            switch (token.Length)
            {
                case 0:
                    break;
                case 1:
                    singles[token[0]] = true;
                    break;
                case 2:
                    pairs[(token[0] << 8) | token[1]] = rank;
                    break;
                default:
                    longer.Add((token, rank));
                    totalBytes += token.Length;
                    break;
            }
        }

        if (Array.IndexOf(singles, false) >= 0)
        {
            return null;
        }

        var slots = new Slot[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, longer.Count * 2))];
        var bytes = new byte[totalBytes];
        var offset = 0;
        foreach (var (token, rank) in longer)
        {
            if (token.Length > MaxTokenLength || rank > MaxRank)
            {
                throw new InvalidDataException($"A token of {token.Length} bytes with rank {rank} is past what the table holds.");
            }

            token.CopyTo(bytes.AsSpan(offset));
            var key = token.Length <= 8 ? Pack(token) : (ulong)offset;
            offset += token.Length;

            var hash = Hash(token);
            var slot = (int)hash & (slots.Length - 1);
            while (slots[slot].RankAndLength != 0)
            {
                slot = (slot + 1) & (slots.Length - 1);
            }

            slots[slot] = new Slot(key, hash, rank | (token.Length << LengthShift));
        }

        return new BytePairRanks(pairs, slots, bytes);
    }

    private int Rank(ReadOnlySpan<byte> span)
    {
        if (span.Length == 2)
        {
            return _pairs[(span[0] << 8) | span[1]];
        }

        var hash = Hash(span);
        var packed = span.Length <= 8 ? Pack(span) : 0;
        var slot = (int)hash & _mask;
        while (true)
        {
            ref readonly var entry = ref _slots[slot];
            if (entry.RankAndLength == 0)
            {
                return NotAToken;
            }

            if (entry.Hash == hash
                && entry.RankAndLength >>> LengthShift == span.Length
                && (span.Length <= 8 ? entry.Key == packed : span.SequenceEqual(_bytes.AsSpan((int)entry.Key, span.Length))))
            {
                return entry.RankAndLength & MaxRank;
            }

            slot = (slot + 1) & _mask;
        }
    }

    // Up to 8 bytes as one little-endian word (the length is compared apart, so zero padding is unambiguous).
    private static ulong Pack(ReadOnlySpan<byte> span)
    {
        if (span.Length == 8)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(span);
        }

        ulong packed = 0;
        for (var i = 0; i < span.Length; i++)
        {
            packed |= (ulong)span[i] << (8 * i);
        }

        return packed;
    }

    // 8-byte words folded by multiplication, then murmur3's finaliser so every input bit reaches the low bits
    // the table is indexed by. The table is built and probed in one process, so the function need not be stable.
    private static uint Hash(ReadOnlySpan<byte> span)
    {
        const ulong Multiplier = 0x9E37_79B9_7F4A_7C15;
        var hash = (ulong)span.Length;
        while (span.Length >= 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(span)) * Multiplier;
            span = span[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < span.Length; i++)
        {
            tail |= (ulong)span[i] << (8 * i);
        }

        hash ^= tail;
        hash = (hash ^ (hash >> 33)) * 0xFF51_AFD7_ED55_8CCD;
        hash = (hash ^ (hash >> 33)) * 0xC4CE_B9FE_1A85_EC53;
        return (uint)(hash ^ (hash >> 33));
    }

    /// <param name="Key">The token's bytes when it has at most 8, else its offset in <see cref="_bytes"/>.</param>
    /// <param name="Hash">The token's hash, compared before the bytes.</param>
    /// <param name="RankAndLength">Rank | length &lt;&lt; 24; 0 marks an empty slot (every stored token has 3 bytes or more).</param>
    private readonly record struct Slot(ulong Key, uint Hash, int RankAndLength);
}
