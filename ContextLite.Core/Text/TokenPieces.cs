using System.Runtime.InteropServices;

namespace ContextLite.Text;

/// <summary>
/// One text cut into its tokenizer's pre-tokenization pieces, with the running token count at every piece
/// boundary: the exact count of any span between two boundaries is then a subtraction instead of a new
/// tokenisation.
/// </summary>
/// <remarks>
/// <para>
/// tiktoken splits text with a regular expression into pieces and runs byte-pair encoding inside each piece
/// only, so a text's count is the sum of its pieces' counts. A span of the text that starts and ends on piece
/// boundaries which are also line starts (or the text's ends) splits into exactly the same pieces on its own:
/// cl100k_base's expression never looks behind, and the only look-ahead, <c>\s+(?!\S)</c>, is tried after
/// <c>\s*[\r\n]+</c>, which already claims every white-space run that reaches a line end. So the span's count
/// is the difference of the running counts at its ends. A line start inside a piece (a run of blank lines is
/// one piece) is not a boundary; spans there are counted on their own, as before.
/// </para>
/// <para>
/// The chunker's tests compare this path with direct counting of every chunk on seeded awkward documents
/// (CRLF, white-space-only lines, emoji, CJK, very long lines).
/// </para>
/// </remarks>
internal sealed class TokenPieces
{
    private readonly ITokenCounter _counter;
    private readonly string _text;
    private readonly List<int> _boundaries;
    private readonly List<int> _running;

    /// <param name="counter">Counts spans that do not start and end on piece boundaries.</param>
    /// <param name="text">The text.</param>
    /// <param name="boundaries">Ascending piece boundaries: 0, the end of each piece, the last being the text's length.</param>
    /// <param name="running">The tokens of the pieces before each boundary.</param>
    internal TokenPieces(ITokenCounter counter, string text, List<int> boundaries, List<int> running)
    {
        _counter = counter;
        _text = text;
        _boundaries = boundaries;
        _running = running;
    }

    /// <summary>The whole text's token count.</summary>
    public int Total => _running[^1];

    /// <summary>True when a piece starts or ends at <paramref name="offset"/>.</summary>
    public bool IsBoundary(int offset) => CollectionsMarshal.AsSpan(_boundaries).BinarySearch(offset) >= 0;

    /// <summary>
    /// The exact token count of <c>text[start..end)</c>, where both ends are line starts or the text's ends:
    /// a subtraction when both are piece boundaries, otherwise the span is tokenised on its own.
    /// </summary>
    public int Count(int start, int end)
    {
        var boundaries = CollectionsMarshal.AsSpan(_boundaries);
        var from = boundaries.BinarySearch(start);
        var to = from < 0 ? -1 : boundaries[from..].BinarySearch(end);
        return from >= 0 && to >= 0 ? _running[from + to] - _running[from] : _counter.Count(_text.AsSpan(start, end - start));
    }
}
