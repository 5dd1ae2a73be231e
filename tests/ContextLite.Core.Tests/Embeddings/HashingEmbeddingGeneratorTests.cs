using System.Numerics.Tensors;
using ContextLite.Embeddings;
using Microsoft.Extensions.AI;

namespace ContextLite.Core.Tests.Embeddings;

public sealed class HashingEmbeddingGeneratorTests
{
    /// <summary>(bucket, sign) of "hello world" in hashing-384, pinned.</summary>
    private static readonly (int, int)[] HelloWorldBuckets = [(296, 1), (321, -1)];

    [Fact]
    public void Embed_TwoInstances_GiveIdenticalVectors()
    {
        // Arrange
        using var first = new HashingEmbeddingGenerator();
        using var second = new HashingEmbeddingGenerator();
        const string Text = "The quick brown fox jumps over the lazy dog; the dog sleeps.";

        // Act + Assert
        Assert.Equal(first.Embed(Text), second.Embed(Text));
    }

    [Fact]
    public void Embed_KnownText_KeepsItsHashBuckets()
    {
        // Stored vectors depend on these exact buckets: a change here silently invalidates every hashing-384 store.
        using var generator = new HashingEmbeddingGenerator();

        var vector = generator.Embed("hello world");

        var nonZero = Enumerable.Range(0, vector.Length).Where(i => vector[i] != 0).Select(i => (i, MathF.Sign(vector[i]))).ToArray();
        Assert.Equal(HelloWorldBuckets, nonZero);
    }

    [Theory]
    [InlineData("one")]
    [InlineData("A longer text, with punctuation: and numbers 42 and 42 again!")]
    [InlineData("Crème brûlée à Zürich")]
    public void Embed_AnyWords_IsUnitNorm(string text)
    {
        using var generator = new HashingEmbeddingGenerator(characterTrigrams: true);

        Assert.Equal(1f, TensorPrimitives.Norm(generator.Embed(text)), 5);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ... --- !!! ")]
    public void Embed_NoWords_IsZeroVector(string text)
    {
        using var generator = new HashingEmbeddingGenerator(64);

        Assert.All(generator.Embed(text), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Embed_DifferentCase_GivesSameVector()
    {
        using var generator = new HashingEmbeddingGenerator();

        Assert.Equal(generator.Embed("Hello, World"), generator.Embed("hello world"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Embed_SimilarTexts_AreCloserThanUnrelatedOnes(bool trigrams)
    {
        // Arrange
        using var generator = new HashingEmbeddingGenerator(characterTrigrams: trigrams);
        var anchor = generator.Embed("how to configure the database connection pool size");
        var similar = generator.Embed("configure the connection pool size of the database");
        var unrelated = generator.Embed("a recipe for chocolate cake with fresh strawberries");

        // Act
        float close = TensorPrimitives.Dot<float>(anchor, similar);
        float far = TensorPrimitives.Dot<float>(anchor, unrelated);

        // Assert
        Assert.True(close > 0.6f, $"similar = {close}");
        Assert.True(close > far + 0.4f, $"similar = {close}, unrelated = {far}");
    }

    [Fact]
    public void Embed_WithTrigrams_RelatesInflectedWords()
    {
        using var words = new HashingEmbeddingGenerator();
        using var trigrams = new HashingEmbeddingGenerator(characterTrigrams: true);

        float withoutTrigrams = TensorPrimitives.Dot<float>(words.Embed("tokenizer"), words.Embed("tokenizers"));
        float withTrigrams = TensorPrimitives.Dot<float>(trigrams.Embed("tokenizer"), trigrams.Embed("tokenizers"));

        Assert.True(withTrigrams > 0.5f && withTrigrams > withoutTrigrams + 0.5f, $"{withoutTrigrams} → {withTrigrams}");
    }

    [Fact]
    public async Task GenerateAsync_Texts_ReturnsOneEmbeddingEachWithModelId()
    {
        // Arrange
        using var generator = new HashingEmbeddingGenerator(128);

        // Act
        var embeddings = await generator.GenerateAsync(["alpha beta", "gamma"]);

        // Assert
        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal("hashing-128", e.ModelId));
        Assert.All(embeddings, e => Assert.Equal(128, e.Vector.Length));
        Assert.Equal(generator.Embed("gamma"), embeddings[1].Vector.ToArray());
    }

    [Fact]
    public async Task GenerateAsync_OtherDimensionsRequested_Throws()
    {
        using var generator = new HashingEmbeddingGenerator();

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 100 }));
    }

    [Fact]
    public void GetService_Metadata_NamesProviderModelAndDimensions()
    {
        using var generator = new HashingEmbeddingGenerator();
        using var trigrams = new HashingEmbeddingGenerator(256, characterTrigrams: true);

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("hashing", metadata.ProviderName);
        Assert.Equal("hashing-384", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal("hashing-256-c3", trigrams.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.Same(generator, generator.GetService<HashingEmbeddingGenerator>());
        Assert.Null(generator.GetService(typeof(string)));
    }
}
