using System.Buffers;

namespace ContextLite.Text;

/// <summary>Counting: tiktoken's merge loop over a piece's bytes, and its heap form for long pieces.</summary>
internal sealed partial class BytePairRanks
{
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
}
