using System.Globalization;
using ContextLite.Cluster;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextLite.Node.Quotas;

/// <summary>
/// Admits queries against the workspace's limits (<c>cluster:resource_limits</c>) and this node's admission gate.
/// Quota state is in Redis when a connection string is configured, shared by every node; otherwise, and
/// whenever Redis does not answer, in this process (<see cref="Degraded"/> tells which).
/// </summary>
/// <remarks>
/// Redis is connected with <c>AbortOnConnectFail=false</c> and fail-fast backlog: while it is down every call
/// fails at once instead of queueing, the node answers from <see cref="LocalQuotaStore"/>, and the multiplexer
/// keeps reconnecting in the background. A refund or release goes to the store that made the grant; one that
/// cannot reach Redis is dropped, which errs towards fewer tokens and is healed by refill and lease expiry.
/// </remarks>
internal sealed partial class QuotaService : IHostedService, IAsyncDisposable
{
    private readonly QuotaOptions _options;
    private readonly ClusterOptions _cluster;
    private readonly TimeProvider _time;
    private readonly ILogger<QuotaService> _logger;
    private readonly LocalQuotaStore _local;
    private ConnectionMultiplexer? _redis;
    private RedisQuotaStore? _redisStore;
    private volatile bool _failed;

    public QuotaService(IOptions<QuotaOptions> options, IOptions<ClusterOptions> cluster, TimeProvider time, ILogger<QuotaService> logger)
    {
        _options = options.Value;
        _cluster = cluster.Value;
        _time = time;
        _logger = logger;
        _local = new LocalQuotaStore(time);
        Gate = new AdmissionGate(_options.EffectiveMaxConcurrentQueries, time);
    }

    public AdmissionGate Gate { get; }

    public QuotaOptions Options => _options;

    public bool RedisConfigured => !string.IsNullOrWhiteSpace(_options.Redis);

    /// <summary>True while Redis is configured but not answering, so limits are this node's alone.</summary>
    public bool Degraded => RedisConfigured && (_redis is null || !_redis.IsConnected || _failed);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!RedisConfigured)
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(_options.Redis!);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = _options.ConnectTimeoutMs;
        configuration.SyncTimeout = _options.OperationTimeoutMs;
        configuration.AsyncTimeout = _options.OperationTimeoutMs;
        configuration.ReconnectRetryPolicy = new LinearRetry(_options.ReconnectIntervalMs);
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "contextlite-" + _cluster.NodeId;

        var redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken);
        redis.ConnectionFailed += (_, e) =>
        {
            _failed = true;
            QuotaLog.Degraded(_logger, e.Exception);
        };
        redis.ConnectionRestored += (_, _) =>
        {
            _failed = false;
            QuotaLog.Recovered(_logger);
        };
        _redis = redis;
        _redisStore = new RedisQuotaStore(redis, clock: null, _options.KeyPrefix);
        if (redis.IsConnected)
        {
            QuotaLog.UsingRedis(_logger, string.Join(", ", configuration.EndPoints.Select(e => e.ToString())));
        }
        else
        {
            QuotaLog.Degraded(_logger, null);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>
    /// Reserves <paramref name="tokens"/> from the workspace's bucket, takes one of its concurrency leases and a
    /// node slot, in that order (cheapest refusal first); whatever was taken is given back when a later step refuses.
    /// </summary>
    public async Task<(Admission? Admission, QuotaRefusal? Refusal)> AdmitAsync(string workspace, long tokens, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return (new Admission(this, workspace, 0, null, null, null, gate: false), null);
        }

        var limits = _cluster.LimitsFor(workspace);
        // A request can never need more than a full bucket; callers clamp and report, this keeps the store honest.
        tokens = Math.Clamp(tokens, 0, limits.MaxTokensPerMinute);
        var (reservation, tokenStore) = await UseAsync(s => s.TryReserveAsync(workspace, tokens, limits.MaxTokensPerMinute, cancellationToken));
        if (!reservation.Granted)
        {
            return Refuse(workspace, QuotaLimits.MaxTokensPerMinute, reservation.RetryAfter, string.Create(CultureInfo.InvariantCulture,
                $"Workspace '{workspace}' has {Math.Floor(reservation.Remaining)} of its max_tokens_per_minute of {limits.MaxTokensPerMinute} tokens left and this request reserves {tokens} (its max_tokens); the bucket refills continuously."));
        }

        var ttl = TimeSpan.FromSeconds(_options.LeaseTtlSeconds);
        LeaseGrant lease;
        IQuotaStore leaseStore;
        try
        {
            (lease, leaseStore) = await UseAsync(s => s.TryAcquireLeaseAsync(workspace, limits.MaxConcurrentRequests, ttl, cancellationToken));
        }
        catch
        {
            await GiveBackAsync(tokenStore, s => s.RefundAsync(workspace, tokens, CancellationToken.None));
            throw;
        }

        if (!lease.Granted)
        {
            await GiveBackAsync(tokenStore, s => s.RefundAsync(workspace, tokens, CancellationToken.None));
            // The lease's expiry bounds the wait from above; requests usually finish far sooner.
            return Refuse(workspace, QuotaLimits.MaxConcurrentRequests, TimeSpan.FromSeconds(1), string.Create(CultureInfo.InvariantCulture,
                $"Workspace '{workspace}' already has {lease.Active} requests running, its max_concurrent_requests is {limits.MaxConcurrentRequests}."));
        }

        var admission = new Admission(this, workspace, tokens, tokenStore, lease.LeaseId, leaseStore, gate: false);
        bool entered;
        try
        {
            entered = await Gate.TryEnterAsync(limits.Priority, TimeSpan.FromMilliseconds(_options.MaxQueueWaitMs), cancellationToken);
        }
        catch
        {
            await admission.DisposeAsync();
            throw;
        }

        if (!entered)
        {
            await admission.DisposeAsync();
            return Refuse(workspace, QuotaLimits.MaxConcurrentQueries, TimeSpan.FromSeconds(1), string.Create(CultureInfo.InvariantCulture,
                $"Node {_cluster.NodeId} is saturated: all {Gate.Capacity} slots of its max_concurrent_queries stayed busy for {_options.MaxQueueWaitMs} ms with {Gate.Queued} queries waiting; workspace '{workspace}' has priority {limits.Priority}."));
        }

        return (admission.WithGate(), null);
    }

    internal async Task ReleaseAsync(Admission admission)
    {
        if (admission.HoldsGate)
        {
            Gate.Release();
        }

        var unused = admission.Reserved - admission.Used;
        if (unused > 0 && admission.TokenStore is { } tokenStore)
        {
            await GiveBackAsync(tokenStore, s => s.RefundAsync(admission.Workspace, unused, CancellationToken.None));
        }

        if (admission.LeaseId is { } leaseId && admission.LeaseStore is { } leaseStore)
        {
            await GiveBackAsync(leaseStore, s => s.ReleaseLeaseAsync(admission.Workspace, leaseId, CancellationToken.None));
        }
    }

    private (Admission?, QuotaRefusal?) Refuse(string workspace, string limit, TimeSpan retryAfter, string detail)
    {
        QuotaLog.Refused(_logger, workspace, limit);
        return (null, new QuotaRefusal(limit, detail, retryAfter));
    }

    /// <summary>Runs <paramref name="operation"/> on Redis when it is connected and answers, else on the local store.</summary>
    private async Task<(T Value, IQuotaStore Store)> UseAsync<T>(Func<IQuotaStore, Task<T>> operation)
    {
        if (_redisStore is { } redisStore && _redis!.IsConnected)
        {
            try
            {
                var value = await operation(redisStore);
                if (_failed)
                {
                    _failed = false;
                    QuotaLog.Recovered(_logger);
                }

                return (value, redisStore);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                MarkFailed(ex);
            }
        }

        return (await operation(_local), _local);
    }

    private async Task GiveBackAsync(IQuotaStore store, Func<IQuotaStore, Task> operation)
    {
        try
        {
            await operation(store);
        }
        catch (Exception ex) when (!ReferenceEquals(store, _local) && IsRedisFailure(ex))
        {
            MarkFailed(ex);
        }
    }

    private void MarkFailed(Exception ex)
    {
        if (!_failed)
        {
            _failed = true;
            QuotaLog.Degraded(_logger, ex);
        }
    }

    private static bool IsRedisFailure(Exception ex) => RedisFailures.IsFailure(ex);
}
