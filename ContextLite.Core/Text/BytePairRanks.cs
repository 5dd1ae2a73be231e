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
internal sealed class BytePairRanks
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

    /// <summary>True when <paramref name="piece"/> is one token (every single byte is).</summary>
    public bool IsToken(ReadOnlySpan<byte> piece) => piece.Length == 1 || (piece.Length > 1 && Rank(piece) != NotAToken);

    /// <summary>The number of tokens the byte-pair encoding of one pre-tokenization piece gives.</summary>
    public int Count(ReadOnlySpan<byte> piece) => Encode(piece, ends: null);

    /// <summary>
    /// Appends to <paramref name="ends"/> the byte offset where each token of <paramref name="piece"/> ends, in
    /// order (the last is the piece's length), and returns how many there are.
    /// </summary>
    public int TokenEnds(ReadOnlySpan<byte> piece, List<int> ends) => Encode(piece, ends);

    private int Encode(ReadOnlySpan<byte> piece, List<int>? ends)
    {
        if (piece.Length <= 1 || Rank(piece) != NotAToken)
        {
            if (!piece.IsEmpty)
            {
                ends?.Add(piece.Length);
            }

            return Math.Min(piece.Length, 1);
        }

        if (piece.Length <= StackLimit)
        {
            Span<int> starts = stackalloc int[piece.Length + 1];
            Span<int> ranks = stackalloc int[piece.Length + 1];
            var count = Merge(piece, starts, ranks);
            for (var i = 1; i <= count && ends is not null; i++)
            {
                ends.Add(starts[i]);
            }

            return count;
        }

        return MergeLong(piece, ends);
    }

    // tiktoken's merge over parts (start offset, rank of merging it with the next part); the last part's
    // start is the piece's end. Removing a part shifts the rest left: pieces are short, so this beats a heap.
    private int Merge(ReadOnlySpan<byte> piece, Span<int> starts, Span<int> ranks)
    {
        var parts = piece.Length + 1;
        var minRank = NotAToken;
        var minIndex = -1;
        for (var i = 0; i < piece.Length - 1; i++)
        {
            var rank = _pairs[(piece[i] << 8) | piece[i + 1]];
            starts[i] = i;
            ranks[i] = rank;
            if (rank < minRank)
            {
                minRank = rank;
                minIndex = i;
            }
        }

        starts[piece.Length - 1] = piece.Length - 1;
        ranks[piece.Length - 1] = NotAToken;
        starts[piece.Length] = piece.Length;
        ranks[piece.Length] = NotAToken;

        while (minRank != NotAToken)
        {
            var i = minIndex;
            if (i > 0)
            {
                ranks[i - 1] = RankOfParts(piece, starts, parts, i - 1);
            }

            ranks[i] = RankOfParts(piece, starts, parts, i);
            starts[(i + 2)..parts].CopyTo(starts[(i + 1)..]);
            ranks[(i + 2)..parts].CopyTo(ranks[(i + 1)..]);
            parts--;

            minRank = NotAToken;
            for (var k = 0; k < parts - 1; k++)
            {
                if (ranks[k] < minRank)
                {
                    minRank = ranks[k];
                    minIndex = k;
                }
            }
        }

        return parts - 1;
    }

    // The same merges for a long piece (a run of letters with no space, a base64 blob): the array version costs
    // O(n) per merge, so a megabyte-long piece took hours. Here parts are a linked list over their start
    // offsets and candidate merges wait in a heap ordered by (rank, start), the leftmost lowest rank first, as
    // above. A popped candidate is stale unless its part is still alive and still has that rank: a rank names
    // one token, so an unchanged rank means an unchanged span. O(n log n).
    private int MergeLong(ReadOnlySpan<byte> piece, List<int>? ends)
    {
        var n = piece.Length;
        var next = ArrayPool<int>.Shared.Rent(n);
        var previous = ArrayPool<int>.Shared.Rent(n);
        var ranks = ArrayPool<int>.Shared.Rent(n);
        try
        {
            var candidates = new PriorityQueue<int, long>(n);
            for (var i = 0; i < n; i++)
            {
                next[i] = i + 1;
                previous[i] = i - 1;
                ranks[i] = i + 1 < n ? _pairs[(piece[i] << 8) | piece[i + 1]] : NotAToken;
                if (ranks[i] != NotAToken)
                {
                    candidates.Enqueue(i, Priority(ranks[i], i));
                }
            }

            var parts = n;
            while (candidates.TryDequeue(out var start, out var priority))
            {
                if (ranks[start] != (int)(priority >> 32))
                {
                    continue;
                }

                // Merge start with the part after it; ranks of the removed part never match again.
                var removed = next[start];
                next[start] = next[removed];
                if (next[removed] < n)
                {
                    previous[next[removed]] = start;
                }

                ranks[removed] = NotAToken;
                parts--;

                ranks[start] = next[start] < n ? Rank(piece[start..End(next, next[start], n)]) : NotAToken;
                if (ranks[start] != NotAToken)
                {
                    candidates.Enqueue(start, Priority(ranks[start], start));
                }

                var before = previous[start];
                if (before >= 0)
                {
                    ranks[before] = Rank(piece[before..next[start]]);
                    if (ranks[before] != NotAToken)
                    {
                        candidates.Enqueue(before, Priority(ranks[before], before));
                    }
                }
            }

            for (var part = 0; part < n && ends is not null; part = next[part])
            {
                ends.Add(next[part]);
            }

            return parts;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<int>.Shared.Return(previous);
            ArrayPool<int>.Shared.Return(ranks);
        }

        static long Priority(int rank, int start) => ((long)rank << 32) | (uint)start;

        static int End(int[] next, int part, int n) => part < n ? next[part] : n;
    }

    // The rank of parts i and i + 1 merged, given that i + 1 and i + 2 are about to become one part: the span
    // from part i's start to part i + 3's start (tiktoken's get_rank, taken before the removal).
    private int RankOfParts(ReadOnlySpan<byte> piece, ReadOnlySpan<int> starts, int parts, int i) =>
        i + 3 < parts ? Rank(piece[starts[i]..starts[i + 3]]) : NotAToken;

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
