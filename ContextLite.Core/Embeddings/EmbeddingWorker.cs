using System.Collections.Concurrent;
using System.Threading.Channels;
using ContextLite.Clustering;
using ContextLite.Search;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextLite.Embeddings;

/// <summary>
/// Embeds chunks in the background after their write committed, then (in single-node mode) rebuilds a
/// workspace's IVF clusters when they are missing or stale. One loop per node; the queue holds workspace
/// ids, each at most once, so it is bounded by the number of workspaces however fast documents arrive.
/// </summary>
/// <remarks>
/// Work is found in the database (chunks without a vector), not carried in the queue, so nothing is lost
/// when the process dies: <see cref="NotifyAll"/> at start-up picks up whatever was left unembedded.
/// </remarks>
public sealed partial class EmbeddingWorker
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);
    private readonly WorkspaceCatalog _catalog;
    private readonly WorkspaceVectors _vectors;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embedder;
    private readonly string? _model;
    private readonly EmbeddingOptions _options;
    private readonly ClusteringOptions _clustering;
    private readonly ILogger<EmbeddingWorker> _logger;
    private readonly TimeProvider _time;
    private int _busy;

    /// <summary>Creates the worker.</summary>
    public EmbeddingWorker(
        WorkspaceCatalog catalog,
        WorkspaceVectors vectors,
        IEmbeddingGenerator<string, Embedding<float>>? embedder,
        IOptions<EmbeddingOptions> options,
        IOptions<ClusteringOptions> clustering,
        ILogger<EmbeddingWorker> logger,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clustering);
        _catalog = catalog;
        _vectors = vectors;
        _embedder = embedder;
        _model = embedder?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        _options = options.Value;
        _clustering = clustering.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        catalog.Changed += (store, change) =>
        {
            if (change.AddedChunks.Count > change.Embedded.Count || change.Embedded.Count > 0)
            {
                Notify(store.Id);
            }
        };
    }

    /// <summary>The dimension of the configured embedder's vectors, or null without one (or when it does not say).</summary>
    public int? Dimension => _embedder?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions;

    /// <summary>Workspaces waiting for the worker.</summary>
    public int QueueLength => _queued.Count;

    /// <summary>True while nothing is queued or being processed.</summary>
    public bool IsIdle => _queued.IsEmpty && Volatile.Read(ref _busy) == 0;

    /// <summary>True when the workspace is waiting in the queue.</summary>
    public bool IsQueued(WorkspaceId id) => _queued.ContainsKey(id.Value);

    /// <summary>Queues a workspace for embedding and cluster maintenance (no-op if already queued).</summary>
    public void Notify(WorkspaceId id)
    {
        if (_queued.TryAdd(id.Value, 0))
        {
            _queue.Writer.TryWrite(id.Value);
        }
    }

    /// <summary>Queues every workspace on the node (start-up recovery).</summary>
    public void NotifyAll()
    {
        foreach (var id in _catalog.List())
        {
            Notify(id);
        }
    }

    /// <summary>Processes the queue until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var name in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _busy, 1);
            _queued.TryRemove(name, out _);
            try
            {
                if (_catalog.TryOpen(WorkspaceId.Parse(name)) is { } store)
                {
                    await EmbedPendingAsync(store, cancellationToken).ConfigureAwait(false);
                    await MaintainClustersAsync(store, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is WorkspaceDeletedException or InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException or HttpRequestException)
            {
                LogFailed(_logger, ex, name);
            }
            finally
            {
                Interlocked.Exchange(ref _busy, 0);
            }
        }
    }

    /// <summary>Waits until the queue is empty and nothing is being processed (for tests and tools).</summary>
    public async Task WaitIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!IsIdle)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The embedding worker was still busy after {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Embeds every chunk of <paramref name="store"/> that has no vector yet, in batches that grow while the
    /// embedder is cheap (<see cref="EmbeddingBatchSize"/>), one write transaction per batch.
    /// </summary>
    internal async Task EmbedPendingAsync(WorkspaceStore store, CancellationToken cancellationToken)
    {
        if (_embedder is null || _model is null)
        {
            return;
        }

        if (store.EmbeddingModel is { } existing && !string.Equals(existing.Model, _model, StringComparison.Ordinal))
        {
            return; // Bring-your-own vectors of another model: chunks without one stay lexical-only.
        }

        long after = 0;
        var size = _options.BatchSize;
        while (true)
        {
            var batch = store.ChunksWithoutEmbeddings(size, after);
            if (batch.Count == 0)
            {
                return;
            }

            after = batch[^1].ChunkId;
            var started = _time.GetTimestamp();
            var embeddings = await _embedder.GenerateAsync(batch.Select(c => c.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            size = EmbeddingBatchSize.Next(size, _options.BatchSize, batch.Count, _time.GetElapsedTime(started));
            var vectors = new List<(long, float[])>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                vectors.Add((batch[i].ChunkId, embeddings[i].Vector.ToArray()));
            }

            try
            {
                await store.SaveEmbeddingsAsync(vectors, _model, cancellationToken).ConfigureAwait(false);
            }
            catch (EmbeddingModelMismatchException)
            {
                return;
            }
        }
    }

    private async Task MaintainClustersAsync(WorkspaceStore store, CancellationToken cancellationToken)
    {
        if (!_clustering.BuildOnNode || _vectors.Get(store) is not { } index || index.Count < _clustering.MinChunks)
        {
            return;
        }

        var (_, _, chunksAtBuild) = store.ClusterBuildInfo();
        var stale = index.ClusterCount == 0 || chunksAtBuild == 0
            || Math.Abs(index.Count - chunksAtBuild) > _clustering.RebuildFraction * chunksAtBuild;
        if (!stale)
        {
            return;
        }

        var options = new KMeansOptions(K: _clustering.K, Seed: _clustering.Seed);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await Task.Run(() => index.BuildClusters(options, cancellationToken), cancellationToken).ConfigureAwait(false);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (index.ExportClusters() is { } clusters)
        {
            var stats = new ClusterBuildStats("node", result.Assignments.Length, result.Iterations, result.Inertia, seconds);
            await store.SaveClustersAsync(clusters.Centroids, clusters.K, index.Dimension, clusters.Assignments, stats, cancellationToken).ConfigureAwait(false);
        }

        LogClustered(_logger, store.Id.Value, result.K, index.Count, result.Iterations);
    }

    [LoggerMessage(1, LogLevel.Warning, "Background embedding of workspace {Workspace} failed; it will be retried on its next change")]
    private static partial void LogFailed(ILogger logger, Exception exception, string workspace);

    [LoggerMessage(2, LogLevel.Information, "Workspace {Workspace}: built {K} clusters over {Count} vectors in {Iterations} iterations")]
    private static partial void LogClustered(ILogger logger, string workspace, int k, int count, int iterations);
}
