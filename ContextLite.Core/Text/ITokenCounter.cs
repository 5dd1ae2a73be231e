namespace ContextLite.Text;

/// <summary>Counts tokens the way a language model's tokenizer does.</summary>
public interface ITokenCounter
{
    /// <summary>The encoding name, e.g. <c>cl100k_base</c>.</summary>
    string Encoding { get; }

    /// <summary>The exact number of tokens in <paramref name="text"/>.</summary>
    int Count(ReadOnlySpan<char> text);

    /// <summary>
    /// The length of the longest prefix of <paramref name="text"/> that holds at most
    /// <paramref name="maxTokens"/> tokens, cut on a token boundary.
    /// </summary>
    int PrefixLengthWithin(ReadOnlySpan<char> text, int maxTokens);
}
