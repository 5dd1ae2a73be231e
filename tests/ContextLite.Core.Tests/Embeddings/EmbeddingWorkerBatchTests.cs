using ContextLite.Clustering;
using ContextLite.Core.Tests.Storage;
using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Core.Tests.Embeddings;

public sealed class EmbeddingWorkerBatchTests : IDisposable
{
    private readonly TempCatalog _temp = new(maxTokens: 16);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(32, 0, 0, 32)]
    [InlineData(32, 19, 32, 128)]
    [InlineData(128, 20, 128, 512)]
    [InlineData(512, 1, 512, 1024)]
    [InlineData(1024, 1, 1024, 1024)]
    [InlineData(512, 1, 300, 512)]
    [InlineData(512, 21, 512, 32)]
    [InlineData(32, 5000, 32, 32)]
    public void Next_ByTimeOfTheLastBatch_GrowsOnlyWhileCheap(int current, int milliseconds, int received, int expected)
    {
        // Act
        var next = EmbeddingBatchSize.Next(current, configured: 32, received, TimeSpan.FromMilliseconds(milliseconds));

        // Assert
        Assert.Equal(expected, next);
    }

    [Fact]
    public void Next_ConfiguredAboveTheGrowthCap_NeverGoesBelowConfigured()
    {
        // Act
        var next = EmbeddingBatchSize.Next(2048, configured: 2048, received: 2048, TimeSpan.Zero);

        // Assert
        Assert.Equal(2048, next);
    }

    [Fact]
    public async Task EmbedPendingAsync_CheapEmbedder_TakesLargerBatchesAndEmbedsEverything()
    {
        // Arrange: an embedder that takes 1 ms of (fake) time a batch.
        var (store, chunks) = await IngestAsync();
        var embedder = new TimedEmbedder(_temp.Time, TimeSpan.FromMilliseconds(1));

        // Act
        await Worker(embedder).EmbedPendingAsync(store, CancellationToken.None);

        // Assert
        Assert.Equal((chunks, chunks), store.EmbeddingProgress());
        Assert.Equal([32, 128, 512], embedder.Batches.Take(3));
        Assert.True(embedder.Batches.Count < chunks / 32, $"{embedder.Batches.Count} batches for {chunks} chunks");
    }

    [Fact]
    public async Task EmbedPendingAsync_SlowEmbedder_KeepsTheConfiguredBatchSize()
    {
        // Arrange: a model that takes half a second of (fake) time a batch.
        var (store, chunks) = await IngestAsync();
        var embedder = new TimedEmbedder(_temp.Time, TimeSpan.FromMilliseconds(500));

        // Act
        await Worker(embedder).EmbedPendingAsync(store, CancellationToken.None);

        // Assert
        Assert.Equal((chunks, chunks), store.EmbeddingProgress());
        Assert.All(embedder.Batches.SkipLast(1), size => Assert.Equal(32, size));
        Assert.Equal((int)Math.Ceiling(chunks / 32.0), embedder.Batches.Count);
    }

    private EmbeddingWorker Worker(TimedEmbedder embedder) => new(
        _temp.Catalog,
        new WorkspaceVectors(),
        embedder,
        Options.Create(new EmbeddingOptions { BatchSize = 32 }),
        Options.Create(new ClusteringOptions { BuildOnNode = false }),
        NullLogger<EmbeddingWorker>.Instance,
        _temp.Time);

    private async Task<(WorkspaceStore Store, long Chunks)> IngestAsync()
    {
        var store = _temp.Store();
        var documents = Enumerable.Range(0, 30)
            .Select(i => new DocumentInput(null, $"doc-{i}.md", StoreText.Prose(i, 60, "wombat")))
            .ToList();
        await store.UpsertAsync(documents, atomic: true);
        var (chunks, embedded) = store.EmbeddingProgress();
        Assert.True(chunks > 700 && embedded == 0, $"arrangement: {chunks} chunks, {embedded} embedded");
        return (store, chunks);
    }

    /// <summary>The hashing embedder, advancing the fake clock by a fixed time per batch and recording batch sizes.</summary>
    private sealed class TimedEmbedder(FakeTimeProvider time, TimeSpan perBatch) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly HashingEmbeddingGenerator _inner = new(16);

        public List<int> Batches { get; } = [];

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Batches.Add(list.Count);
            time.Advance(perBatch);
            return await _inner.GenerateAsync(list, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

        public void Dispose() => _inner.Dispose();
    }
}
