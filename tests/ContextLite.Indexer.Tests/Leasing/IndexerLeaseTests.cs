using ContextLite.Indexer.Leasing;
using StackExchange.Redis;

namespace ContextLite.Indexer.Tests.Leasing;

/// <summary>The indexer lease against a real redis-server: one holder at a time, taken over when the holder dies.</summary>
public sealed class IndexerLeaseTests
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AcquireOrRenew_SecondReplica_WaitsWhileTheFirstRenews()
    {
        using var server = await RedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var first = new IndexerLease(redis, "test:index:lease", "indexer-a", s_ttl);
        var second = new IndexerLease(redis, "test:index:lease", "indexer-b", s_ttl);

        Assert.Equal("indexer-a", await first.AcquireOrRenewAsync());
        // Three TTLs of renewals by the first: the second never gets in.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("indexer-a", await second.AcquireOrRenewAsync());
            await Task.Delay(s_ttl / 2);
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
