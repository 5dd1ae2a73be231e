using System.Diagnostics;
using System.Text.Json;
using ContextLite.Cluster;
using ContextLite.Clustering;
using ContextLite.Indexer.Api;
using ContextLite.Indexer.Configuration;
using ContextLite.Indexer.Diagnostics;
using ContextLite.Indexer.Leasing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextLite.Indexer.Rebuilds;

/// <summary>
/// The indexer's loop. A lease loop takes or renews <see cref="IndexerLease"/> every heartbeat; while this
/// replica holds it, a work loop scans <see cref="RebuildQueue"/> and rebuilds stale workspaces one at a time:
/// pull the vectors from the owning node, k-means on one thread, push centroids and assignments back.
/// </summary>
/// <remarks>
/// A rebuild runs under a token cancelled when the lease is lost, so two replicas never push at once for long;
/// were they to, each push is a complete, atomic swap on the node, so the worst case is wasted work. Rebuilds
/// are sequential with a pause between them, and k-means runs single-threaded, so the indexer uses at most one
/// core and a node serves one vector stream at a time. Redis or node failures are logged and retried; they never
/// stop the loops.
/// </remarks>
internal sealed class RebuildWorker(
    IOptions<IndexerOptions> options,
    IConfiguration configuration,
    NodeIndexClient nodes,
    IndexerStatus status,
    IndexerTelemetry telemetry,
    TimeProvider time,
    ILogger<RebuildWorker> logger) : BackgroundService
{
    private readonly IndexerOptions _options = options.Value;
    private readonly Dictionary<string, DateTimeOffset> _failedUntil = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? _redis;
    private IndexerLease? _lease;
    private volatile CancellationTokenSource? _tenure;

    public string InstanceId { get; } = options.Value.InstanceId is { Length: > 0 } id ? id : $"indexer-{Environment.MachineName}-{Environment.ProcessId}";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = _options.Redis is { Length: > 0 } redis ? redis : configuration.GetConnectionString("cache");
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException("The indexer needs Redis: set indexer:redis or ConnectionStrings:cache.");
        }

        var redisOptions = ConfigurationOptions.Parse(connection);
        redisOptions.AbortOnConnectFail = false;
        redisOptions.ConnectTimeout = Math.Min(redisOptions.ConnectTimeout, 2 * _options.OperationTimeoutMs);
        redisOptions.SyncTimeout = _options.OperationTimeoutMs;
        redisOptions.AsyncTimeout = _options.OperationTimeoutMs;
        redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
        redisOptions.ClientName ??= InstanceId;
        _redis = await ConnectionMultiplexer.ConnectAsync(redisOptions).WaitAsync(cancellationToken);
        _lease = new IndexerLease(_redis, IndexQueue.LeaseKey(_options.KeyPrefix), InstanceId, _options.LeaseTtl);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(LeaseLoopAsync(stoppingToken), WorkLoopAsync(stoppingToken));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_lease is not null && _redis is { IsConnected: true })
        {
            try
            {
                // Hand over at once rather than after the TTL.
                await _lease.ReleaseAsync();
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                IndexerLog.RedisFailed(logger, ex.Message);
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _tenure?.Dispose();
        _redis?.Dispose();
    }

    private async Task LeaseLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.HeartbeatSeconds), time);
        try
        {
            do
            {
                await BeatAsync();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            LoseTenure();
        }
    }

    /// <summary>One heartbeat: take or renew the lease; start or end this replica's tenure accordingly.</summary>
    internal async Task BeatAsync()
    {
        string? holder;
        try
        {
            holder = await _lease!.AcquireOrRenewAsync();
            status.RedisConnected = true;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // Without Redis this replica cannot prove it still holds the lease: stop rebuilding until it can.
            status.RedisConnected = false;
            IndexerLog.RedisFailed(logger, ex.Message);
            holder = null;
            LoseTenure();
        }

        if (holder != status.LeaseHolder)
        {
            IndexerLog.LeaseChanged(logger, InstanceId, holder ?? "(none)");
        }

        status.LeaseHolder = holder;
        bool held = holder == InstanceId;
        status.HoldsLease = held;
        if (held && _tenure is null)
        {
            _tenure = new CancellationTokenSource();
        }
        else if (!held)
        {
            LoseTenure();
        }
    }

    private void LoseTenure()
    {
        if (Interlocked.Exchange(ref _tenure, null) is { } tenure)
        {
            tenure.Cancel();
            tenure.Dispose();
        }
    }

    private async Task WorkLoopAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(_options.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            bool rebuilt = false;
            try
            {
                if (_tenure is { } tenure)
                {
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, tenure.Token);
                    rebuilt = await RebuildNextAsync(linked.Token);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // The lease was lost mid-rebuild: the new holder will redo it.
            }
            catch (ObjectDisposedException)
            {
                // The tenure ended between reading it and linking to it.
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                status.RedisConnected = false;
                IndexerLog.RedisFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(rebuilt ? TimeSpan.FromMilliseconds(_options.PauseBetweenRebuildsMs) : poll, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Rebuilds the stalest workspace, if any; true when one was attempted.</summary>
    internal async Task<bool> RebuildNextAsync(CancellationToken cancellationToken)
    {
        var queue = new RebuildQueue(_redis!, _options);
        var stale = await queue.ScanAsync();
        var now = time.GetUtcNow();
        status.LastScan = now;
        status.StaleWorkspaces = stale.Count;
        var next = stale.FirstOrDefault(s => !_failedUntil.TryGetValue(s.Workspace, out var until) || until <= now);
        if (next is null)
        {
            return false;
        }

        await RebuildAsync(queue, next, cancellationToken);
        return true;
    }

    private async Task RebuildAsync(RebuildQueue queue, StaleWorkspace target, CancellationToken cancellationToken)
    {
        string workspace = target.Workspace, node = target.Record.Node;
        var started = Stopwatch.GetTimestamp();
        status.Begin(new RebuildProgress(workspace, node, "pulling", target.Record.Vectors, time.GetUtcNow()));
        try
        {
            var vectors = await nodes.PullVectorsAsync(node, workspace, cancellationToken);
            if (vectors is null)
            {
                await queue.ForgetAsync(workspace);
                status.Failed($"workspace '{workspace}' is gone from {node}");
                IndexerLog.Forgotten(logger, workspace, node);
                return;
            }

            status.Advance("clustering", vectors.Count);
            var kmeansStarted = Stopwatch.GetTimestamp();
            var result = await Task.Run(() => KMeans.Fit(vectors.Vectors, vectors.Dimension, _options.KMeans, cancellationToken), cancellationToken);
            var kmeansSeconds = Stopwatch.GetElapsedTime(kmeansStarted).TotalSeconds;
            if (result.K == 0)
            {
                await queue.CompleteAsync(target, 0, 0);
                status.Failed($"workspace '{workspace}' had no vectors");
                return;
            }

            status.Advance("pushing", vectors.Count);
            var push = new ClusterPush(vectors.Dimension, result.K, result.Centroids, vectors.Ids, result.Assignments, result.Iterations, result.Inertia, kmeansSeconds);
            var answer = await nodes.PushClustersAsync(node, workspace, push, InstanceId, cancellationToken);
            if (answer is null)
            {
                await queue.ForgetAsync(workspace);
                status.Failed($"workspace '{workspace}' is gone from {node}");
                IndexerLog.Forgotten(logger, workspace, node);
                return;
            }

            var swap = JsonSerializer.Deserialize(answer, IndexerJson.Default.NodeSwapAnswer)
                ?? throw new InvalidDataException($"Node {node} answered the push with no body.");
            await queue.CompleteAsync(target, swap.Vectors, swap.K);
            _failedUntil.Remove(workspace);

            var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
            telemetry.Rebuilt(workspace, "built", total);
            status.Succeeded(new RebuildRecord(
                workspace, node, result.K, vectors.Count, result.Iterations, result.Inertia, kmeansSeconds, total,
                swap.ClustersVersion, swap.AssignedAfterSnapshot, time.GetUtcNow()));
            IndexerLog.Rebuilt(logger, workspace, node, result.K, vectors.Count, result.Iterations, kmeansSeconds, swap.ClustersVersion);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or JsonException
            || (ex is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested))
        {
            _failedUntil[workspace] = time.GetUtcNow().AddSeconds(_options.RetryAfterFailureSeconds);
            telemetry.Rebuilt(workspace, "failed", Stopwatch.GetElapsedTime(started).TotalSeconds);
            status.Failed($"{workspace} on {node}: {ex.Message}");
            IndexerLog.RebuildFailed(logger, ex, workspace, node);
        }
        catch (OperationCanceledException)
        {
            status.Failed($"{workspace} on {node}: cancelled (lease lost or stopping)");
            throw;
        }
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException;
}
