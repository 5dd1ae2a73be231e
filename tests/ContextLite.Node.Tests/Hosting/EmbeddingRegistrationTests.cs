using ContextLite.Embeddings;
using ContextLite.Node.Hosting;
using Microsoft.Extensions.AI;

namespace ContextLite.Node.Tests.Hosting;

public sealed class EmbeddingRegistrationTests
{
    [Theory]
    [InlineData("hashing", null, "hashing-384")]
    [InlineData("ollama", "all-minilm", "all-minilm")]
    [InlineData("openai", "text-embedding-3-small", "text-embedding-3-small")]
    public void Create_KnownProvider_ReportsItsModel(string provider, string? model, string expectedModel)
    {
        var options = new EmbeddingOptions { Provider = provider, Model = model, ApiKey = "test-key", Endpoint = "http://127.0.0.1:9" };

        using var generator = EmbeddingRegistration.Create(options);

        Assert.NotNull(generator);
        Assert.Equal(expectedModel, generator!.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    [Fact]
    public void Create_None_IsNull()
    {
        Assert.Null(EmbeddingRegistration.Create(new EmbeddingOptions { Provider = "none" }));
    }

    [Theory]
    [InlineData("bogus", null, "unknown")]
    [InlineData("openai", null, "embeddings.model")]
    [InlineData("ollama", null, "embeddings.model")]
    public void Create_BadConfiguration_SaysWhichKey(string provider, string? model, string hint)
    {
        var error = Assert.Throws<InvalidOperationException>(() => EmbeddingRegistration.Create(new EmbeddingOptions { Provider = provider, Model = model, ApiKey = "k" }));

        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }
}
