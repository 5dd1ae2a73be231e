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

    private readonly Tokenizer _tokenizer;

    private TiktokenCounter(string encoding)
    {
        Encoding = encoding;
        _tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
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
    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.CountTokens(text);

    /// <inheritdoc />
    public int PrefixLengthWithin(ReadOnlySpan<char> text, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        return text.IsEmpty || maxTokens == 0 ? 0 : _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
    }
}
