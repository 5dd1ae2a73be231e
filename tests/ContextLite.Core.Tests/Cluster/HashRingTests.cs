using System.Globalization;
using ContextLite.Cluster;

namespace ContextLite.Core.Tests.Cluster;

public sealed class HashRingTests
{
    private static readonly string[] s_three = ["node-1", "node-2", "node-3"];
    private static readonly string[] s_keys = Enumerable.Range(0, 10_000).Select(i => "workspace-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Walk_SameNodesInAnyOrder_SameAnswerAcrossInstances()
    {
        var a = new HashRing(s_three);
        var b = new HashRing(["node-3", "node-1", "node-2", "node-1"]);

        foreach (var key in s_keys.Take(1000))
        {
            Assert.Equal(a.Walk(key), b.Walk(key));
        }
    }

    [Fact]
    public void Hash_KnownInput_IsStableXxHash64OfUtf8()
    {
        // Pinned so that a change of hash (or of encoding) is a visible, deliberate break: every gateway
        // and node must agree on it.
        Assert.Equal(System.IO.Hashing.XxHash64.HashToUInt64("demo"u8), HashRing.Hash("demo"));
        Assert.Equal(HashRing.Hash(new string('é', 400)), HashRing.Hash(new string('é', 400)));
    }

    [Fact]
    public void Walk_AnyKey_ListsEveryNodeOnceOwnerFirst()
    {
        var ring = new HashRing(s_three);

        foreach (var key in s_keys.Take(200))
        {
            var walk = ring.Walk(key);
            Assert.Equal(3, walk.Count);
            Assert.Equal(s_three, walk.Order(StringComparer.Ordinal));
            Assert.Equal(ring.Owner(key), walk[0]);
        }
    }

    [Fact]
    public void Owner_FourthNodeJoins_MovesAboutAQuarterOfKeysAllToTheNewNode()
    {
        var before = new HashRing(s_three);
        var after = new HashRing([.. s_three, "node-4"]);

        var moved = 0;
        foreach (var key in s_keys)
        {
            var was = before.Owner(key);
            var now = after.Owner(key);
            if (was != now)
            {
                moved++;
                Assert.Equal("node-4", now);
            }
        }

        var share = moved / (double)s_keys.Length;
        Assert.InRange(share, 0.18, 0.32);
    }

    [Fact]
    public void Pick_OneNodeUnhealthy_MovesOnlyThatNodesKeys()
    {
        var ring = new HashRing(s_three);

        foreach (var key in s_keys)
        {
            var owner = ring.Owner(key);
            var picked = ring.Pick(key, node => node != "node-2");
            if (owner == "node-2")
            {
                Assert.Equal(ring.Walk(key)[1], picked);
            }
            else
            {
                Assert.Equal(owner, picked);
            }
        }
    }

    [Fact]
    public void Owner_TenThousandKeysOnThreeNodes_WithinQuarterOfEven()
    {
        var ring = new HashRing(s_three);

        var counts = s_keys.GroupBy(k => ring.Owner(k)!).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, counts.Count);
        var even = s_keys.Length / 3.0;
        foreach (var (_, count) in counts)
        {
            Assert.InRange(count, even * 0.75, even * 1.25);
        }
    }

    [Fact]
    public void Pick_NoNodeHealthy_ReturnsNullAskingEachNodeOnce()
    {
        var ring = new HashRing(s_three);
        var asked = new List<string>();

        var picked = ring.Pick("demo", node =>
        {
            asked.Add(node);
            return false;
        });

        Assert.Null(picked);
        Assert.Equal(ring.Walk("demo"), asked);
    }

    [Fact]
    public void Walk_EmptyRing_IsEmpty()
    {
        var ring = new HashRing([]);

        Assert.Empty(ring.Walk("demo"));
        Assert.Null(ring.Owner("demo"));
        Assert.Null(ring.Pick("demo", _ => true));
    }
}
