using ContextLite.Indexer.Leasing;
using StackExchange.Redis;

namespace ContextLite.Indexer.Tests.Leasing;

/// <summary>The indexer lease against a real redis-server: one holder at a time, taken over when the holder dies.</summary>
public sealed class IndexerLeaseTests
{
    // Three seconds, renewed every tenth of it: the renewal loop below must get from one call to the next within a
    // TTL, and a loaded machine can stall for a second or more (half a TTL of 2 s left one second).
    private static readonly TimeSpan s_ttl = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task AcquireOrRenew_TakesAFreeLease_ExtendsItsOwn_AndLeavesAnothersTtlAlone()
    {
        using var server = await RedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var database = redis.GetDatabase();
        var lease = new IndexerLease(redis, "test:index:lease", "indexer-a", TimeSpan.FromMinutes(10));

        // Free: taken, with the lease's TTL.
        Assert.Equal("indexer-a", await lease.AcquireOrRenewAsync());
        Assert.Equal("indexer-a", (string?)await database.StringGetAsync("test:index:lease"));
        Assert.InRange((await database.KeyTimeToLiveAsync("test:index:lease"))!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        // Its own, with a short TTL left: extended back to the lease's TTL.
        await database.KeyExpireAsync("test:index:lease", TimeSpan.FromSeconds(30));
        Assert.Equal("indexer-a", await lease.AcquireOrRenewAsync());
        Assert.InRange((await database.KeyTimeToLiveAsync("test:index:lease"))!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        // Another's: reported, neither overwritten nor extended.
        await database.StringSetAsync("test:index:lease", "indexer-b", TimeSpan.FromSeconds(30));
        Assert.Equal("indexer-b", await lease.AcquireOrRenewAsync());
        Assert.Equal("indexer-b", (string?)await database.StringGetAsync("test:index:lease"));
        Assert.InRange((await database.KeyTimeToLiveAsync("test:index:lease"))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AcquireOrRenew_SecondReplica_WaitsWhileTheFirstRenews()
    {
        using var server = await RedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var first = new IndexerLease(redis, "test:index:lease", "indexer-a", s_ttl);
        var second = new IndexerLease(redis, "test:index:lease", "indexer-b", s_ttl);

        Assert.Equal("indexer-a", await first.AcquireOrRenewAsync());
        // Two TTLs of renewals by the first (so the lease would have expired without them): the second never gets in.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < 2 * s_ttl)
        {
            Assert.Equal("indexer-a", await second.AcquireOrRenewAsync());
            await Task.Delay(s_ttl / 10);
            Assert.Equal("indexer-a", await first.AcquireOrRenewAsync());
        }
    }

    [Fact]
    public async Task AcquireOrRenew_FirstReplicaDies_SecondTakesOverAndTheFirstCannotExtendIt()
    {
        using var server = await RedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var first = new IndexerLease(redis, "test:index:lease", "indexer-a", s_ttl);
        var second = new IndexerLease(redis, "test:index:lease", "indexer-b", s_ttl);
        Assert.Equal("indexer-a", await first.AcquireOrRenewAsync());

        // The first stops renewing (dead, no release): the second's heartbeats take the lease once it expires.
        string? holder = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (holder != "indexer-b")
        {
            await Task.Delay(s_ttl / 4, timeout.Token);
            holder = await second.AcquireOrRenewAsync();
        }

        // A first replica that comes back sees the new holder and cannot renew or release its lease.
        Assert.Equal("indexer-b", await first.AcquireOrRenewAsync());
        Assert.False(await first.ReleaseAsync());
        Assert.True(await second.ReleaseAsync());
        Assert.Equal("indexer-a", await first.AcquireOrRenewAsync());
    }
}
