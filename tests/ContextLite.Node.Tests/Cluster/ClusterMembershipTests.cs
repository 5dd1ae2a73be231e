using System.Text.Json.Nodes;
using ContextLite.Cluster;
using ContextLite.Node.Cluster;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Node.Tests.Quotas;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ContextLite.Node.Tests.Cluster;

/// <summary>Membership heartbeats and the leader lease against a real redis-server; each test has its own key prefix.</summary>
public sealed class ClusterMembershipTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8] + ":";
    private readonly List<ClusterMembership> _started = [];

    private IDatabase Database => redis.Connection.GetDatabase();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var membership in _started)
        {
            await membership.StopAsync(CancellationToken.None);
            membership.Dispose();
        }
    }

    [Fact]
    public async Task StartAsync_FirstNode_JoinsMembersAndTakesTheLease()
    {
        var a = await StartAsync("node-a", new FakeTimeProvider(s_start));

        Assert.Equal("node-a", a.View!.Leader);
        Assert.Equal(["node-a"], a.View.Members);
        Assert.Equal("node-a", (string?)await Database.StringGetAsync(_prefix + "leader"));
        var ttl = await Database.KeyTimeToLiveAsync(_prefix + "leader");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));
        var expiry = await Database.SortedSetScoreAsync(_prefix + "members", "node-a");
        Assert.Equal(s_start.AddSeconds(15).ToUnixTimeMilliseconds(), (long)expiry!.Value);
    }

    [Fact]
    public async Task BeatAsync_SecondNode_SeesTheFirstAsLeaderAndCountsBoth()
    {
        var a = await StartAsync("node-a", new FakeTimeProvider(s_start));
        var b = await StartAsync("node-b", new FakeTimeProvider(s_start.AddSeconds(1)));

        await a.BeatAsync(CancellationToken.None);

        Assert.Equal("node-a", b.View!.Leader);
        Assert.Equal(["node-a", "node-b"], b.View.Members);
        Assert.Equal(["node-a", "node-b"], a.View!.Members);
    }

    [Fact]
    public async Task BeatAsync_NonHolder_NeverExtendsAnotherNodesLease()
    {
        // No expiry at all (a 4 s one could pass while node-b connects on a loaded machine, and node-b would then
        // rightly take the lease): any extension by node-b would give the key one.
        await Database.StringSetAsync(_prefix + "leader", "node-x");

        var b = await StartAsync("node-b", new FakeTimeProvider(s_start));
        await b.BeatAsync(CancellationToken.None);

        Assert.Equal("node-x", b.View!.Leader);
        Assert.Equal("node-x", (string?)await Database.StringGetAsync(_prefix + "leader"));
        var ttl = await Database.KeyTimeToLiveAsync(_prefix + "leader");
        Assert.True(ttl is null, $"the lease was extended to {ttl}");
    }

    [Fact]
    public async Task BeatAsync_Holder_RenewsItsLease()
    {
        var a = await StartAsync("node-a", new FakeTimeProvider(s_start));
        // 8 s, not 2: with 2 s a stalled machine could let the lease expire before the beat, which would then take it
        // afresh and pass without renewing anything. The lease's TTL is 15 s, so a renewal shows as more than 10 s.
        await Database.KeyExpireAsync(_prefix + "leader", TimeSpan.FromSeconds(8));

        await a.BeatAsync(CancellationToken.None);

        var ttl = await Database.KeyTimeToLiveAsync(_prefix + "leader");
        Assert.True(ttl > TimeSpan.FromSeconds(10), $"the lease was not renewed: {ttl}");
    }

    [Fact]
    public async Task StopAsync_Leader_ReleasesTheLeaseAndAnotherNodeTakesItAtItsNextBeat()
    {
        var a = await StartAsync("node-a", new FakeTimeProvider(s_start));
        var b = await StartAsync("node-b", new FakeTimeProvider(s_start));

        await a.StopAsync(CancellationToken.None);
        _started.Remove(a);
        a.Dispose();
        await b.BeatAsync(CancellationToken.None);

        Assert.Equal("node-b", b.View!.Leader);
        Assert.Equal(["node-b"], b.View.Members);
    }

    [Fact]
    public async Task BeatAsync_MemberMissedThreeHeartbeats_IsNoLongerCounted()
    {
        await StartAsync("node-a", new FakeTimeProvider(s_start));

        // node-b's clock is past node-a's expiry (3 × 5 s): node-a stopped beating 16 s ago.
        var b = await StartAsync("node-b", new FakeTimeProvider(s_start.AddSeconds(16)));

        Assert.Equal(["node-b"], b.View!.Members);
        Assert.Null(await Database.SortedSetScoreAsync(_prefix + "members", "node-a"));
    }

    [Fact]
    public async Task StartAsync_RedisConfiguredButDown_HasNoViewAndDoesNotThrow()
    {
        var membership = new ClusterMembership(
            Options.Create(new MembershipOptions { Redis = $"127.0.0.1:{RedisServer.FreePort()},connectTimeout=200", KeyPrefix = _prefix }),
            Options.Create(new ClusterOptions { NodeId = "node-down" }),
            new FakeTimeProvider(s_start),
            NullLogger<ClusterMembership>.Instance);
        _started.Add(membership);

        await membership.StartAsync(CancellationToken.None);

        Assert.True(membership.RedisConfigured);
        Assert.Null(membership.View);
    }

    [Fact]
    public async Task Health_WithRedis_ReportsTheLeaseHolderAndLiveMembers()
    {
        var now = DateTimeOffset.UtcNow;
        await Database.StringSetAsync(_prefix + "leader", "node-elder", TimeSpan.FromMinutes(1));
        await Database.SortedSetAddAsync(_prefix + "members", "node-elder", now.AddMinutes(1).ToUnixTimeMilliseconds());
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["membership:redis"] = redis.Server.ConnectionString,
            ["membership:key_prefix"] = _prefix,
        });

        var health = await node.GetJsonAsync<JsonNode>("/health");

        Assert.Equal("node-elder", (string?)health["cluster"]!["leader_node"]);
        Assert.Equal(2, (int)health["cluster"]!["cluster_size"]!);
        Assert.NotNull(await Database.SortedSetScoreAsync(_prefix + "members", "test-node"));
    }

    private async Task<ClusterMembership> StartAsync(string nodeId, TimeProvider time)
    {
        var membership = new ClusterMembership(
            Options.Create(new MembershipOptions { Redis = redis.Server.ConnectionString, KeyPrefix = _prefix }),
            Options.Create(new ClusterOptions { NodeId = nodeId }),
            time,
            NullLogger<ClusterMembership>.Instance);
        _started.Add(membership);
        await membership.StartAsync(CancellationToken.None);
        return membership;
    }
}
