using System.Buffers;
using System.IO.Compression;
using System.Reflection;
using System.Text.Unicode;
using Microsoft.ML.Tokenizers;

namespace ContextLite.Text;

/// <summary>
/// Exact token counts with OpenAI's tiktoken encodings through <c>Microsoft.ML.Tokenizers</c>; the
/// vocabulary ships in a NuGet data package, so nothing is downloaded at run time.
/// </summary>
public sealed partial class TiktokenCounter : ITokenCounter
{
    /// <summary>The default encoding (GPT-4, GPT-3.5).</summary>
    public const string Cl100kBase = "cl100k_base";

    private static readonly Lazy<TiktokenCounter> s_cl100k = new(() => new TiktokenCounter(Cl100kBase, CachedPieces));

    /// <summary>Slots of the piece cache (~7 MB when full).</summary>
    private const int CachedPieces = 131_072;

    /// <summary>The assembly of the <c>Microsoft.ML.Tokenizers.Data.Cl100kBase</c> package.</summary>
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.Cl100kBase";

    /// <summary>Pieces up to this many UTF-8 bytes are encoded on the stack.</summary>
    private const int StackBytes = 512;

    private readonly Tokenizer _tokenizer;

    // The encoding's merge ranks for our own pre-tokenization (Cl100kPieces) and byte-pair count; null if they
    // could not be read, and then the tokenizer counts.
    private readonly BytePairRanks? _ranks;

    // Special tokens ("<|endoftext|>") are pieces of their own, of one token each.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _specialTokens;
    private readonly string[] _specialTokenList;

    // Counts of pieces of several tokens ("ToString", " 2024"); a piece of one token (" the", "\n    ") is
    // answered by one probe of the rank table, as fast as a cache hit, so it is not stored.
    private readonly PieceCountCache _pieceCounts;

    /// <param name="encoding">The tiktoken encoding.</param>
    /// <param name="cachedPieces">Slots of the piece cache (tests make it small).</param>
    internal TiktokenCounter(string encoding, int cachedPieces)
    {
        _pieceCounts = new PieceCountCache(cachedPieces);
        Encoding = encoding;
        var tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
        _tokenizer = tokenizer;
        var specialTokens = tokenizer.SpecialTokens ?? new Dictionary<string, int>();
        _specialTokenList = [.. specialTokens.Keys];
        _specialTokens = new Dictionary<string, int>(specialTokens, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

        // Our pre-tokenizer is cl100k_base's expression and finds special tokens by their "<|".
        _ranks = encoding == Cl100kBase && _specialTokenList.All(t => t.StartsWith("<|", StringComparison.Ordinal)) ? LoadRanks(encoding) : null;

        // A package update that changed the vocabulary or the expression must not change counts silently: if ours
        // and the tokenizer's disagree on a sample of every kind of text, the tokenizer counts.
        if (_ranks is not null && !AgreesWithTokenizer())
        {
            _ranks = null;
        }
    }

    /// <summary>Text of every class the pre-tokenizer and the merge treat apart, for the check at construction.</summary>
    internal const string SelfCheckText =
        "Hello, world! It's 2024: we'll count 1234567 tokens.\r\n\tdef add(a, b):\n        return a + b  \n\n" +
        "naïve café — 日本語のテキスト, 한국어, русский; 😀👍🏽 <|endoftext|> x<|fim_prefix|>   antidisestablishmentarianism " +
        "XmlHttpRequestFactory snake_case_name 0xFF 3.14159 \u00a0\u3000 end";

    private bool AgreesWithTokenizer() =>
        Count(SelfCheckText) == _tokenizer.CountTokens(SelfCheckText)
        && PrefixLengthWithin(SelfCheckText, 17) == _tokenizer.GetIndexByTokenCount(SelfCheckText, 17, out _, out _);

    /// <summary>True when pieces are counted by our own byte-pair merge over the encoding's ranks (see <see cref="BytePairRanks"/>).</summary>
    internal bool CountsWithOwnRanks => _ranks is not null;

    /// <summary>The rank table (benchmarks time it alone).</summary>
    internal BytePairRanks? Ranks => _ranks;

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

        if (_ranks is null)
        {
            return _tokenizer.CountTokens(text);
        }

        var total = 0;
        foreach (var (offset, length) in new Cl100kPieces(text, _specialTokenList))
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
        if (_ranks is null)
        {
            return null;
        }

        var boundaries = new List<int>(text.Length / 3) { 0 };
        var running = new List<int>(text.Length / 3) { 0 };
        var total = 0;
        foreach (var (offset, length) in new Cl100kPieces(text, _specialTokenList))
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

    // The data package that ships the tokenizer's vocabulary holds it as the tiktoken BPE file, deflated. The
    // tokenizer keeps its parsed form to itself, so it is read again here; without it the tokenizer counts.
    private static BytePairRanks? LoadRanks(string encoding)
    {
        Assembly data;
        try
        {
            data = Assembly.Load(DataAssembly);
        }
        catch (IOException)
        {
            return null;
        }

        using var stream = data.GetManifestResourceStream($"{encoding}.tiktoken.deflate");
        if (stream is null)
        {
            return null;
        }

        using var inflated = new DeflateStream(stream, CompressionMode.Decompress);
        return BytePairRanks.Load(inflated);
    }

    private int PieceCount(ReadOnlySpan<char> piece) => CountPiece(piece, _pieceCounts);

    /// <summary>The tokens of one pre-tokenization piece, without the cache (tests compare the two paths).</summary>
    internal int CountPiece(ReadOnlySpan<char> piece) => CountPiece(piece, cache: null);

    private int CountPiece(ReadOnlySpan<char> piece, PieceCountCache? cache)
    {
        if (piece.IsEmpty)
        {
            return 0;
        }

        if (_ranks is null)
        {
            return _tokenizer.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
        }

        // Every special token starts with '<', is one token, and the pre-tokenizer makes each one a piece of its own.
        if (piece[0] == '<' && _specialTokens.ContainsKey(piece))
        {
            return 1;
        }

        var maxBytes = piece.Length * 3;
        byte[]? rented = null;
        var buffer = maxBytes <= StackBytes ? stackalloc byte[maxBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var bytes = buffer[..ToUtf8(piece, buffer)];
            if (_ranks.IsToken(bytes))
            {
                return 1;
            }

            if (cache is not null && cache.TryGet(bytes, out var cached))
            {
                return cached;
            }

            var count = _ranks.Count(bytes);
            cache?.Set(bytes, count);
            return count;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // UTF-8 as the tokenizer makes it: a lone surrogate becomes the three-byte form of its code unit (as in
    // WTF-8), not U+FFFD, so text with broken surrogates counts the same. Three bytes per UTF-16 unit is the
    // most any input takes (a pair is four bytes for two units).
    private static int ToUtf8(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var written = 0;
        while (true)
        {
            var status = Utf8.FromUtf16(text, destination[written..], out var read, out var count, replaceInvalidSequences: false);
            written += count;
            if (status == OperationStatus.Done)
            {
                return written;
            }

            // InvalidData: text[read] is a lone surrogate.
            var unit = text[read];
            destination[written++] = (byte)(0xE0 | (unit >> 12));
            destination[written++] = (byte)(0x80 | ((unit >> 6) & 0x3F));
            destination[written++] = (byte)(0x80 | (unit & 0x3F));
            text = text[(read + 1)..];
        }
    }
}
