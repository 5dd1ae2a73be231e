using ContextLite.Node.Caching;
using ContextLite.Search;

namespace ContextLite.Node.Tests.Caching;

public sealed class AssembleCacheKeyTests
{
    private static readonly AssembleCacheRequest Request = new("how do logins work", 4000, 10, RetrievalMode.Auto, null, true, false, null, null);

    [Fact]
    public void Create_EqualInputs_GiveEqualKeysUnderTheWorkspacePrefix()
    {
        var a = AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request);
        var b = AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { });

        Assert.Equal(a, b);
        Assert.StartsWith(AssembleCacheKey.Prefix + "ws:", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AnyAnswerChangingField_ChangesTheKey()
    {
        var key = AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request);
        var variants = new[]
        {
            AssembleCacheKey.Create("other", "ws", "1.0.1", Request),
            AssembleCacheKey.Create("epoch", "ws2", "1.0.1", Request),
            AssembleCacheKey.Create("epoch", "ws", "2.0.1", Request),
            AssembleCacheKey.Create("epoch", "ws", "1.0.2", Request),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { Query = "How do logins work" }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { MaxTokens = 3999 }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { MaxDocuments = 9 }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { Mode = RetrievalMode.Lexical }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { Solver = "greedy" }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { IncludeContent = false }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { Explain = true }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { ModelId = "gpt-4" }),
            AssembleCacheKey.Create("epoch", "ws", "1.0.1", Request with { QueryEmbedding = [0.5f, 0.25f] }),
        };

        Assert.All(variants, v => Assert.NotEqual(key, v));
        Assert.Equal(variants.Length, variants.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Create_DifferentQueryEmbeddings_GiveDifferentKeys()
    {
        var a = AssembleCacheKey.Create("e", "ws", "1.0.1", Request with { QueryEmbedding = [0.5f, 0.25f] });
        var b = AssembleCacheKey.Create("e", "ws", "1.0.1", Request with { QueryEmbedding = [0.5f, 0.26f] });

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Create_VeryLongQuery_KeepsTheKeyShort()
    {
        var key = AssembleCacheKey.Create("e", "ws", "1.0.1", Request with { Query = new string('x', 100_000) });

        Assert.True(key.Length < 200, key);
    }
}
