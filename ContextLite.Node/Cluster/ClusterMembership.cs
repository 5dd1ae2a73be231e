using ContextLite.Cluster;
using ContextLite.Node.Quotas;
using ContextLite.ServiceDefaults.Leasing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextLite.Node.Cluster;

/// <summary>
/// Heartbeats this node into <c>{prefix}members</c> and contends for the cluster lease <c>{prefix}leader</c>,
/// every <see cref="MembershipOptions.HeartbeatSeconds"/>; <c>/health</c> reports what it last saw.
/// </summary>
/// <remarks>
/// <para>
/// <b>Membership</b> is a sorted set of node id → expiry (Unix ms). Each beat writes this node's expiry
/// (now + 3 periods), drops entries whose expiry has passed, and counts the rest, so a node that dies leaves
/// the count within three periods without anyone having to notice. Expiries come from each node's clock:
/// clocks must agree to well within a period, which NTP gives.
/// </para>
/// <para>
/// <b>Leader lease</b>: one script (<see cref="LeaseScripts.AcquireOrRenew"/>) takes a free lease or, for its
/// holder, extends it (compare-and-expire), so a node whose lease expired and was taken can never extend the
/// new holder's. A stopping node releases its lease (compare-and-delete) and its membership so the
/// others take over at their next beat rather than after the TTL.
/// </para>
/// <para>
/// Without Redis (or while it does not answer) the node reports itself as leader of a cluster of its
/// configured size; Redis errors never stop the loop.
/// </para>
/// </remarks>
internal sealed class ClusterMembership : BackgroundService
{
    private readonly MembershipOptions _options;
    private readonly string _nodeId;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterMembership> _logger;
    private ConnectionMultiplexer? _redis;
    private volatile MembershipView? _view;

    public ClusterMembership(IOptions<MembershipOptions> options, IOptions<ClusterOptions> cluster, TimeProvider time, ILogger<ClusterMembership> logger)
    {
        _options = options.Value;
        _nodeId = cluster.Value.NodeId;
        _time = time;
        _logger = logger;
    }

    public bool RedisConfigured => _options.Enabled && !string.IsNullOrWhiteSpace(_options.Redis);

    /// <summary>The node's Redis connection once started (shared with the index tracker); null without Redis.</summary>
    public IConnectionMultiplexer? Redis => _redis;

    /// <summary>What the last successful heartbeat saw; null before one succeeded or while Redis is down.</summary>
    public MembershipView? View => _view;

    public RedisKey MembersKey => _options.KeyPrefix + "members";

    public RedisKey LeaderKey => _options.KeyPrefix + "leader";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (RedisConfigured)
        {
            var configuration = ConfigurationOptions.Parse(_options.Redis!);
            configuration.AbortOnConnectFail = false;
            // A Redis that is down must not hold the node's start-up for long: the node serves without it.
            configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2 * _options.OperationTimeoutMs);
            configuration.SyncTimeout = _options.OperationTimeoutMs;
            configuration.AsyncTimeout = _options.OperationTimeoutMs;
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            configuration.ClientName ??= "contextlite-membership-" + _nodeId;
            _redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken);
            await BeatAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_redis is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.HeartbeatSeconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_redis is { IsConnected: true } redis)
        {
            try
            {
                var database = redis.GetDatabase();
                await database.ScriptEvaluateAsync(LeaseScripts.Release, [LeaderKey], [_nodeId]);
                await database.SortedSetRemoveAsync(MembersKey, _nodeId);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                ClusterLog.HeartbeatFailed(_logger, ex.Message);
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _redis?.Dispose();
    }

    /// <summary>One heartbeat: announce, prune, count, take or renew the lease, read its holder.</summary>
    internal async Task BeatAsync(CancellationToken cancellationToken)
    {
        if (_redis is not { } redis)
        {
            return;
        }

        try
        {
            var database = redis.GetDatabase();
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var ttl = _options.Ttl;
            await database.SortedSetAddAsync(MembersKey, _nodeId, now + (long)ttl.TotalMilliseconds);
            await database.SortedSetRemoveRangeByScoreAsync(MembersKey, double.NegativeInfinity, now);
            var members = await database.SortedSetRangeByScoreAsync(MembersKey, now, double.PositiveInfinity, Exclude.Start);

            var leader = (string?)await database.ScriptEvaluateAsync(LeaseScripts.AcquireOrRenew, [LeaderKey], [_nodeId, (long)ttl.TotalMilliseconds]);
            cancellationToken.ThrowIfCancellationRequested();

            var previous = _view;
            _view = new MembershipView(leader, members.Select(m => m.ToString()).Order(StringComparer.Ordinal).ToArray());
            if (previous?.Leader != leader)
            {
                ClusterLog.LeaderChanged(_logger, _nodeId, leader ?? "(none)");
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _view = null;
            ClusterLog.HeartbeatFailed(_logger, ex.Message);
        }
    }

    private static bool IsRedisFailure(Exception ex) => RedisFailures.IsFailure(ex);
}

/// <summary>The cluster as one heartbeat saw it: the lease holder and the live members.</summary>
internal sealed record MembershipView(string? Leader, IReadOnlyList<string> Members);
