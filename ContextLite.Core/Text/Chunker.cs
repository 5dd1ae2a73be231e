namespace ContextLite.Text;

/// <summary>
/// Splits a document into chunks of at most <see cref="ChunkingOptions.MaxTokens"/> tokens on paragraph
/// boundaries, then line boundaries, then (for a single over-long line) token boundaries.
/// </summary>
/// <remarks>
/// Invariants the rest of the engine relies on: concatenating the chunks in order gives back the document
/// exactly (line terminators included), every chunk's exact token count is within the limit, and each chunk
/// knows the 1-based inclusive range of lines it covers, so a context can cite <c>path:start-end</c>.
/// Packing is greedy over paragraphs (a run of lines ending in blank lines), which keeps related lines
/// together without a second pass.
/// </remarks>
public sealed class Chunker
{
    /// <summary>A long line is first cut looking this many characters ahead per token of the budget (English averages about four).</summary>
    private const int CharsPerToken = 4;

    private readonly ITokenCounter _counter;
    private readonly int _maxTokens;

    /// <summary>Creates a chunker.</summary>
    public Chunker(ITokenCounter counter, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(counter);
        // One character can cost up to 4 tokens, so a smaller budget could not always be kept.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 4);
        _counter = counter;
        _maxTokens = maxTokens;
    }

    /// <summary>Splits <paramref name="content"/> into chunks.</summary>
    public IReadOnlyList<Chunk> Split(string content) => SplitAndCount(content).Chunks;

    /// <summary>
    /// Splits <paramref name="content"/> into chunks and counts the whole document's tokens, tokenising it once
    /// when the counter is a <see cref="TiktokenCounter"/> (every line, chunk and the document are then counted
    /// from the same pass; see <see cref="TokenPieces"/>). Chunks and counts are the same either way.
    /// </summary>
    public (IReadOnlyList<Chunk> Chunks, int Tokens) SplitAndCount(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var chunks = new List<Chunk>();
        if (content.Length == 0)
        {
            return (chunks, 0);
        }

        var counts = new SpanCounts(_counter, content, (_counter as TiktokenCounter)?.Pieces(content));
        var lines = SplitLines(content, counts);
        var pack = new Packer(this, content, counts, chunks);
        var i = 0;
        while (i < lines.Count)
        {
            var end = ParagraphEnd(content, lines, i);
            var paragraphTokens = 0;
            for (var j = i; j < end; j++)
            {
                paragraphTokens += lines[j].Tokens;
            }

            if (pack.Tokens + paragraphTokens <= _maxTokens)
            {
                pack.Add(lines, i, end, paragraphTokens);
            }
            else
            {
                pack.Flush();
                if (paragraphTokens <= _maxTokens)
                {
                    pack.Add(lines, i, end, paragraphTokens);
                }
                else
                {
                    PackLines(pack, lines, i, end);
                }
            }

            i = end;
        }

        pack.Flush();
        return (chunks, counts.Total());
    }

    private void PackLines(Packer pack, List<Line> lines, int from, int to)
    {
        for (var j = from; j < to; j++)
        {
            var line = lines[j];
            if (line.Tokens > _maxTokens)
            {
                pack.Flush();
                pack.SplitLongLine(line);
                continue;
            }

            if (pack.Tokens + line.Tokens > _maxTokens)
            {
                pack.Flush();
            }

            pack.Add(lines, j, j + 1, line.Tokens);
        }
    }

    private static List<Line> SplitLines(string content, SpanCounts counts)
    {
        var lines = new List<Line>();
        var start = 0;
        var number = 1;
        while (start < content.Length)
        {
            var newline = content.IndexOf('\n', start);
            var end = newline < 0 ? content.Length : newline + 1;
            lines.Add(new Line(number++, start, end - start, counts.Count(start, end)));
            start = end;
        }

        return lines;
    }

    // A paragraph is a run of lines up to and including the blank lines that follow it.
    private static int ParagraphEnd(string content, List<Line> lines, int from)
    {
        var j = from;
        while (j < lines.Count && !IsBlank(content, lines[j]))
        {
            j++;
        }

        while (j < lines.Count && IsBlank(content, lines[j]))
        {
            j++;
        }

        return Math.Max(j, from + 1);
    }

    private static bool IsBlank(string content, Line line) => content.AsSpan(line.Start, line.Length).IsWhiteSpace();

    private readonly record struct Line(int Number, int Start, int Length, int Tokens);

    /// <summary>Exact counts of spans of one document: from its pieces when the counter provides them, else directly.</summary>
    private readonly struct SpanCounts(ITokenCounter counter, string content, TokenPieces? pieces)
    {
        public int Count(int start, int end) =>
            pieces?.Count(start, end) ?? counter.Count(content.AsSpan(start, end - start));

        public int Total() => pieces?.Total ?? counter.Count(content);
    }

    /// <summary>Accumulates consecutive lines and emits them as chunks with exact token counts.</summary>
    private sealed class Packer(Chunker owner, string content, SpanCounts counts, List<Chunk> output)
    {
        private readonly List<Line> _pending = [];

        public int Tokens { get; private set; }

        public void Add(List<Line> lines, int from, int to, int tokens)
        {
            for (var j = from; j < to; j++)
            {
                _pending.Add(lines[j]);
            }

            Tokens += tokens;
        }

        public void Flush()
        {
            // Per-line counts are a close estimate of the joined text's count; BPE merges across line ends can
            // make the joined count differ, so the exact count decides and the tail moves to the next chunk.
            while (_pending.Count > 0)
            {
                var take = _pending.Count;
                while (true)
                {
                    var (start, length) = Span(take);
                    var exact = counts.Count(start, start + length);
                    if (exact <= owner._maxTokens || take == 1)
                    {
                        if (exact > owner._maxTokens)
                        {
                            SplitLongLine(_pending[0]);
                        }
                        else
                        {
                            Emit(_pending[0].Number, _pending[take - 1].Number, start, length, exact);
                        }

                        break;
                    }

                    take--;
                }

                _pending.RemoveRange(0, take);
            }

            Tokens = 0;
        }

        public void SplitLongLine(Line line)
        {
            var offset = line.Start;
            var end = line.Start + line.Length;
            while (offset < end)
            {
                var (length, tokens) = NextPiece(offset, end);
                Emit(line.Number, line.Number, offset, length, tokens);
                offset += length;
            }
        }

        // The next chunk of a long line: the most of it, from offset, that holds the budget. The tokenizer looks
        // only at a window that starts at about four characters per token and doubles while the budget reaches
        // past it; tokenising the whole rest of a megabyte-long line for every chunk made splitting quadratic.
        private (int Length, int Tokens) NextPiece(int offset, int end)
        {
            var budget = owner._maxTokens;
            var look = (owner._maxTokens * (long)CharsPerToken) + CharsPerToken;
            while (true)
            {
                var windowEnd = WindowEnd(offset, end, look);
                var window = content.AsSpan(offset, windowEnd - offset);
                var length = owner._counter.PrefixLengthWithin(window, budget);
                if (length == window.Length && windowEnd < end)
                {
                    look *= 2;
                    continue;
                }

                if (length <= 0)
                {
                    // A single token longer than the budget cannot be cut on a token boundary; take one
                    // character (a whole surrogate pair) so that progress is guaranteed and nothing is lost.
                    length = char.IsHighSurrogate(content[offset]) && offset + 1 < end ? 2 : 1;
                    return (length, owner._counter.Count(content.AsSpan(offset, length)));
                }

                // The prefix is the window's first tokens; counted on its own it can, rarely, come to more
                // (byte-pair merges differ once the text after it is gone), so shrink until it fits.
                var tokens = owner._counter.Count(window[..length]);
                if (tokens <= owner._maxTokens)
                {
                    return (length, tokens);
                }

                budget -= tokens - owner._maxTokens;
            }
        }

        // Never ends between the halves of a surrogate pair.
        private int WindowEnd(int offset, int end, long look)
        {
            var windowEnd = (int)Math.Min(end, offset + look);
            return windowEnd < end && char.IsHighSurrogate(content[windowEnd - 1]) && windowEnd - 1 > offset ? windowEnd - 1 : windowEnd;
        }

        private (int Start, int Length) Span(int take)
        {
            var first = _pending[0];
            var last = _pending[take - 1];
            return (first.Start, last.Start + last.Length - first.Start);
        }

        private void Emit(int startLine, int endLine, int start, int length, int tokens) =>
            output.Add(new Chunk(output.Count, startLine, endLine, content.Substring(start, length), tokens));
    }
}
