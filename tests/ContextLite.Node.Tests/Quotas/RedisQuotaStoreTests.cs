using ContextLite.Node.Quotas;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>The store contract against a real redis-server, plus what only a shared store can show.</summary>
public sealed class RedisQuotaStoreTests : QuotaStoreContractTests, IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;
    private readonly RedisQuotaStore _store;

    public RedisQuotaStoreTests(RedisFixture redis)
    {
        _redis = redis;
        _store = new RedisQuotaStore(redis.Connection, Time);
    }

    private protected override IQuotaStore Store => _store;

    [Fact]
    public async Task TryReserve_AnyWorkspace_KeysAreNamespacedByWorkspace()
    {
        await _store.TryReserveAsync(Workspace, 10, 1000);
        await _store.TryAcquireLeaseAsync(Workspace, 1, TimeSpan.FromMinutes(1));

        var database = _redis.Connection.GetDatabase();
        Assert.True(await database.KeyExistsAsync($"contextlite:quota:{{{Workspace}}}:tokens"));
        Assert.True(await database.KeyExistsAsync($"contextlite:quota:{{{Workspace}}}:leases"));
    }

    [Fact]
    public async Task TryReserve_TwoNodesOnOneRedis_ShareOneBucket()
    {
        await using var otherConnection = await _redis.ConnectAsync();
        var otherNode = new RedisQuotaStore(otherConnection, Time);

        var first = await _store.TryReserveAsync(Workspace, 700, 1000);
        var tooMuch = await otherNode.TryReserveAsync(Workspace, 400, 1000);
        var rest = await otherNode.TryReserveAsync(Workspace, 300, 1000);
        var empty = await _store.TryReserveAsync(Workspace, 1, 1000);

        Assert.True(first.Granted);
        Assert.False(tooMuch.Granted);
        Assert.Equal(TimeSpan.FromSeconds(6), tooMuch.RetryAfter);
        Assert.True(rest.Granted);
        Assert.False(empty.Granted);
    }

    [Fact]
    public async Task TryAcquireLease_TwoNodesOnOneRedis_ShareOneLimit()
    {
        await using var otherConnection = await _redis.ConnectAsync();
        var otherNode = new RedisQuotaStore(otherConnection, Time);
        var ttl = TimeSpan.FromSeconds(30);

        var mine = await _store.TryAcquireLeaseAsync(Workspace, 1, ttl);
        var theirs = await otherNode.TryAcquireLeaseAsync(Workspace, 1, ttl);
        await _store.ReleaseLeaseAsync(Workspace, mine.LeaseId!);
        var theirsAfterRelease = await otherNode.TryAcquireLeaseAsync(Workspace, 1, ttl);

        Assert.True(mine.Granted);
        Assert.False(theirs.Granted);
        Assert.True(theirsAfterRelease.Granted);
    }

    [Fact]
    public async Task TryReserve_ServerClock_GrantsAndRefusesLikeTheCallersClock()
    {
        // Production passes no clock: the script reads Redis' TIME, so all nodes agree on one clock.
        var serverClock = new RedisQuotaStore(_redis.Connection);

        var between = System.Diagnostics.Stopwatch.StartNew();
        var granted = await serverClock.TryReserveAsync(Workspace, 60_000, 60_000);
        var refused = await serverClock.TryReserveAsync(Workspace, 30_000, 60_000);
        between.Stop();

        // 1,000 tokens a second refill: the wait is 30 s less what the server's clock moved between the two calls,
        // which is within what this process saw (a fixed 5 s allowance could be used up on a loaded machine).
        Assert.True(granted.Granted);
        Assert.False(refused.Granted);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(30) - between.Elapsed - TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30));
    }
}
