using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace ContextLite.Text;

/// <summary>
/// Exact token counts with OpenAI's tiktoken encodings through <c>Microsoft.ML.Tokenizers</c>; the
/// vocabulary ships in a NuGet data package, so nothing is downloaded at run time.
/// </summary>
public sealed class TiktokenCounter : ITokenCounter
{
    /// <summary>The default encoding (GPT-4, GPT-3.5).</summary>
    public const string Cl100kBase = "cl100k_base";

    private static readonly Lazy<TiktokenCounter> s_cl100k = new(() => new TiktokenCounter(Cl100kBase));

    /// <summary>Pieces longer than this are rare (long identifiers, runs of symbols) and not worth remembering.</summary>
    private const int MaxCachedPieceLength = 32;

    /// <summary>Bounds the piece cache (~10 MB at most): past it, new pieces are counted each time.</summary>
    private const int MaxCachedPieces = 200_000;

    private readonly Tokenizer _tokenizer;

    // Token counts of pre-tokenization pieces (" the", " return", "\n    "), looked up by span so a hit allocates
    // nothing: the tokenizer's own cache builds a string and takes a lock for every piece, which made counting
    // 3x slower than splitting the text. A fixed lock count and a first size that holds a typical corpus's
    // pieces keep the first pass over new text from paying for lock-array growth and many resizes.
    private readonly ConcurrentDictionary<string, int> _pieceCounts = new(Environment.ProcessorCount, 65_536, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _pieceLookup;
    private int _cachedPieces;

    private TiktokenCounter(string encoding)
    {
        Encoding = encoding;
        _tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
        _pieceLookup = _pieceCounts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The shared <c>cl100k_base</c> counter (the tokenizer is thread-safe and costly to load).</summary>
    public static TiktokenCounter Cl100k => s_cl100k.Value;

    /// <inheritdoc />
    public string Encoding { get; }

    /// <summary>
    /// The counter for an encoding name or a model id (<c>gpt-4</c>, <c>gpt-3.5-turbo</c>, ...).
    /// Returns false for encodings whose data package is not shipped.
    /// </summary>
    public static bool TryGet(string? encodingOrModel, out TiktokenCounter counter)
    {
        counter = Cl100k;
        if (string.IsNullOrWhiteSpace(encodingOrModel))
        {
            return true;
        }

        var name = encodingOrModel.Trim().ToLowerInvariant();
        return name is Cl100kBase or "gpt-4" or "gpt-3.5-turbo" or "text-embedding-ada-002" or "text-embedding-3-small"
            or "text-embedding-3-large"
            || name.StartsWith("gpt-4-", StringComparison.Ordinal)
            || name.StartsWith("gpt-3.5-turbo-", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The tokenizer's own count is its pre-tokenization pieces' counts summed; this is the same sum over the
    /// same pieces, each looked up in a cache that costs no allocation on a hit.
    /// </remarks>
    public int Count(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        if (_tokenizer.PreTokenizer is not { } preTokenizer)
        {
            return _tokenizer.CountTokens(text);
        }

        var total = 0;
        foreach (var (offset, length) in preTokenizer.PreTokenize(text))
        {
            total += PieceCount(text.Slice(offset, length));
        }

        return total;
    }

    /// <summary>
    /// Cuts <paramref name="text"/> into the tokenizer's pre-tokenization pieces and counts each once (see
    /// <see cref="TokenPieces"/>); null when the pieces do not tile the text, so callers count spans directly.
    /// </summary>
    internal TokenPieces? Pieces(string text)
    {
        if (_tokenizer.PreTokenizer is not { } preTokenizer)
        {
            return null;
        }

        var boundaries = new List<int>(text.Length / 3) { 0 };
        var running = new List<int>(text.Length / 3) { 0 };
        var total = 0;
        foreach (var (offset, length) in preTokenizer.PreTokenize(text.AsSpan()))
        {
            if (offset != boundaries[^1])
            {
                return null;
            }

            total += PieceCount(text.AsSpan(offset, length));
            boundaries.Add(offset + length);
            running.Add(total);
        }

        return boundaries[^1] == text.Length ? new TokenPieces(this, text, boundaries, running) : null;
    }

    private int PieceCount(ReadOnlySpan<char> piece)
    {
        if (_pieceLookup.TryGetValue(piece, out var count))
        {
            return count;
        }

        count = _tokenizer.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);

        // Not _pieceCounts.Count: that takes every lock of the dictionary (up to 1,024 as it grows), which made
        // the first pass over new text 1.5 s slower on the ingest benchmark's 120K new pieces.
        if (piece.Length <= MaxCachedPieceLength && Volatile.Read(ref _cachedPieces) < MaxCachedPieces && _pieceLookup.TryAdd(piece, count))
        {
            Interlocked.Increment(ref _cachedPieces);
        }

        return count;
    }

    /// <inheritdoc />
    public int PrefixLengthWithin(ReadOnlySpan<char> text, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        return text.IsEmpty || maxTokens == 0 ? 0 : _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
    }
}
