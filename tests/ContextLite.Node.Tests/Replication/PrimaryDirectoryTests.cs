using ContextLite.Cluster;
using ContextLite.Node.Replication;
using ContextLite.Node.Tests.Quotas;

namespace ContextLite.Node.Tests.Replication;

/// <summary>The primary record in Redis: changed only by compare-and-set on the epoch, so takeovers cannot both win.</summary>
public sealed class PrimaryDirectoryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly string _prefix = "pd" + Guid.NewGuid().ToString("N")[..8] + ":";

    [Fact]
    public async Task Claim_FirstClaimTakesEpochOne_AndASecondFirstClaimLoses()
    {
        var directory = new PrimaryDirectory(redis.Connection.GetDatabase(), _prefix);

        var first = await directory.ClaimAsync("ws", "node-a", 0);
        var second = await directory.ClaimAsync("ws", "node-b", 0);

        Assert.Equal(new PrimaryRecord("node-a", 1), first);
        Assert.Equal(new PrimaryRecord("node-a", 1), second);
        Assert.Equal(new PrimaryRecord("node-a", 1), await directory.GetAsync("ws"));
    }

    [Fact]
    public async Task Claim_TwoReplicasTakingOverTheSameEpochAtOnce_ExactlyOneWins()
    {
        var directory = new PrimaryDirectory(redis.Connection.GetDatabase(), _prefix);
        await directory.ClaimAsync("race", "node-a", 0);

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => directory.ClaimAsync("race", i % 2 == 0 ? "node-b" : "node-c", 1)));

        var after = await directory.GetAsync("race");
        Assert.Equal(2, after!.Value.Epoch);
        Assert.All(claims, c => Assert.Equal(after, c));
    }

    [Fact]
    public async Task Claim_DeposedPrimaryWithItsOldEpoch_CannotTakeTheRecordBack()
    {
        var directory = new PrimaryDirectory(redis.Connection.GetDatabase(), _prefix);
        await directory.ClaimAsync("fenced", "node-a", 0);
        await directory.ClaimAsync("fenced", "node-b", 1);

        var stale = await directory.ClaimAsync("fenced", "node-a", 1);

        Assert.Equal(new PrimaryRecord("node-b", 2), stale);
        Assert.Equal(new PrimaryRecord("node-b", 2), await directory.GetAsync("fenced"));
    }
}
