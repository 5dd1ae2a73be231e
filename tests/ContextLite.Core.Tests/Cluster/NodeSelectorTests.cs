using System.Globalization;
using ContextLite.Cluster;

namespace ContextLite.Core.Tests.Cluster;

public sealed class NodeSelectorTests
{
    private static readonly HashRing s_ring = new(["node-1", "node-2", "node-3"]);

    private static Func<string, NodeLoad> AllHealthy => _ => new NodeLoad(true);

    private static Func<string, NodeLoad> Down(string down) => node => new NodeLoad(node != down);

    private static ClusterOptions Options(string strategy = "workspace_hash", double maxLoad = 0.85)
    {
        var options = new ClusterOptions();
        options.LoadBalancing.Strategy = strategy;
        options.LoadBalancing.MaxLoadFactor = maxLoad;
        return options;
    }

    [Fact]
    public void Select_WorkspaceHash_ChoosesTheRingOwner()
    {
        var selector = new NodeSelector(Options());

        for (var i = 0; i < 100; i++)
        {
            var workspace = "ws-" + i.ToString(CultureInfo.InvariantCulture);
            var selection = selector.Select(workspace, s_ring, AllHealthy);
            Assert.True(selection.Succeeded);
            Assert.Equal(s_ring.Owner(workspace), selection.NodeId);
            Assert.Equal(selection.NodeId, selection.Owner);
            Assert.Equal("medium", selection.ResourceTier);
        }
    }

    [Fact]
    public void Select_OwnerDownWithOneReplica_FailsNamingTheOwner()
    {
        var selector = new NodeSelector(Options());
        var owner = s_ring.Owner("demo")!;

        var selection = selector.Select("demo", s_ring, Down(owner));

        Assert.False(selection.Succeeded);
        Assert.Equal(owner, selection.Owner);
        Assert.Equal($"Workspace 'demo' lives on {owner}, which is unavailable.", selection.Error);
    }

    [Fact]
    public void Select_OwnerDownWithTwoReplicas_FailsOverToTheNextOnTheWalk()
    {
        var selector = new NodeSelector(Options(), replicationFactor: 2);
        var walk = s_ring.Walk("demo");

        var selection = selector.Select("demo", s_ring, Down(walk[0]));

        Assert.Equal(walk[1], selection.NodeId);
        Assert.True(selection.IsFailover);
        Assert.Equal(walk.Take(2), selection.Replicas);
    }

    [Fact]
    public void Select_PreferredNodes_ComeFirstInTheGivenOrder()
    {
        var options = Options();
        var walk = s_ring.Walk("pinned");
        options.Affinity.Rules["pinned"] = new AffinityRule { PreferredNodes = [walk[2], walk[1]], ResourceTier = "high" };
        var selector = new NodeSelector(options, replicationFactor: 2);

        var placement = selector.Placement("pinned", s_ring);
        var selection = selector.Select("pinned", s_ring, AllHealthy);
        var preferredDown = selector.Select("pinned", s_ring, Down(walk[2]));

        Assert.Equal([walk[2], walk[1], walk[0]], placement);
        Assert.Equal(walk[2], selection.NodeId);
        Assert.Equal("high", selection.ResourceTier);
        Assert.Equal(walk[1], preferredDown.NodeId);
    }

    [Fact]
    public void Select_AvoidedOwner_MovesToTheNextNodeOnTheWalk()
    {
        var options = Options();
        var walk = s_ring.Walk("archive");
        options.Affinity.Rules["archive"] = new AffinityRule { AvoidNodes = [walk[0]], ResourceTier = "low" };
        var selector = new NodeSelector(options);

        var selection = selector.Select("archive", s_ring, AllHealthy);

        Assert.Equal(walk[1], selection.NodeId);
        Assert.Equal([walk[1], walk[2], walk[0]], selector.Placement("archive", s_ring));
        Assert.Equal("low", selection.ResourceTier);
    }

    [Fact]
    public void Select_AvoidedNodeIsTheOnlyHealthyReplica_IsStillUsed()
    {
        var options = Options();
        var ring = new HashRing(["node-1", "node-2"]);
        options.Affinity.Rules["archive"] = new AffinityRule { AvoidNodes = ["node-1"] };
        var selector = new NodeSelector(options, replicationFactor: 2);

        var healthyAvoided = selector.Select("archive", ring, Down("node-2"));
        var bothUp = selector.Select("archive", ring, AllHealthy);

        Assert.Equal("node-1", healthyAvoided.NodeId);
        Assert.Equal("node-2", bothUp.NodeId);
    }

    [Fact]
    public void Select_LeastConnectionsWithOneReplica_ReducesToTheOwner()
    {
        var selector = new NodeSelector(Options("least_connections"));
        var owner = s_ring.Owner("demo")!;

        var selection = selector.Select("demo", s_ring, node => new NodeLoad(true, node == owner ? 50 : 0));

        Assert.Equal(owner, selection.NodeId);
        Assert.Equal(RoutingStrategy.LeastConnections, selection.Strategy);
    }

    [Fact]
    public void Select_LeastConnectionsAmongReplicas_ChoosesFewestActiveRequests()
    {
        var selector = new NodeSelector(Options("least_connections"), replicationFactor: 3);
        var walk = s_ring.Walk("demo");
        var active = new Dictionary<string, int> { [walk[0]] = 9, [walk[1]] = 4, [walk[2]] = 4 };

        var selection = selector.Select("demo", s_ring, node => new NodeLoad(true, active[node]));

        Assert.Equal(walk[1], selection.NodeId);
    }

    [Fact]
    public void Select_ResourceBased_ChoosesLowestLoadUnderTheCap()
    {
        var selector = new NodeSelector(Options("resource_based", maxLoad: 0.8), replicationFactor: 3);
        var walk = s_ring.Walk("demo");
        var load = new Dictionary<string, double> { [walk[0]] = 0.95, [walk[1]] = 0.5, [walk[2]] = 0.3 };

        var selection = selector.Select("demo", s_ring, node => new NodeLoad(true, 0, load[node]));

        Assert.Equal(walk[2], selection.NodeId);
        Assert.False(selection.Overloaded);
    }

    [Fact]
    public void Select_ResourceBasedAllOverCap_ChoosesLowestAndSaysOverloaded()
    {
        var selector = new NodeSelector(Options("resource_based", maxLoad: 0.5), replicationFactor: 3);
        var walk = s_ring.Walk("demo");
        var load = new Dictionary<string, double> { [walk[0]] = 0.9, [walk[1]] = 0.7, [walk[2]] = 0.8 };

        var selection = selector.Select("demo", s_ring, node => new NodeLoad(true, 0, load[node]));

        Assert.Equal(walk[1], selection.NodeId);
        Assert.True(selection.Overloaded);
    }

    [Fact]
    public void ParseStrategy_UnknownName_ThrowsNamingTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => NodeSelector.ParseStrategy("round_robin"));

        Assert.Contains("workspace_hash", error.Message, StringComparison.Ordinal);
        Assert.Equal("least_connections", NodeSelector.NameOf(NodeSelector.ParseStrategy("LEAST_CONNECTIONS")));
    }
    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    public void Placement_NodeJoins_OnlyWorkspacesThatTakeTheNewNodeMove_AndEachLosesOneCopy(int nodes, int replicas)
    {
        // Arrange
        var before = new HashRing(Enumerable.Range(1, nodes).Select(i => $"node-{i}"));
        var after = new HashRing(Enumerable.Range(1, nodes + 1).Select(i => $"node-{i}"));
        var joined = $"node-{nodes + 1}";
        var selector = new NodeSelector(Options(), replicationFactor: replicas);
        const int Workspaces = 6000;

        // Act
        var moved = 0;
        for (var i = 0; i < Workspaces; i++)
        {
            var workspace = "ws-" + i.ToString(CultureInfo.InvariantCulture);
            var old = selector.Placement(workspace, before).Take(replicas).ToHashSet(StringComparer.Ordinal);
            var now = selector.Placement(workspace, after).Take(replicas).ToHashSet(StringComparer.Ordinal);
            if (old.SetEquals(now))
            {
                continue;
            }

            // Assert (per workspace): the only copy added is on the new node, and exactly one old copy goes.
            moved++;
            Assert.Equal([joined], now.Except(old));
            Assert.Single(old.Except(now));
        }

        // Assert (overall): the share that moves is the new node's share of copies, R/(N+1), within sampling noise.
        var expected = (double)replicas / (nodes + 1);
        Assert.InRange((double)moved / Workspaces, expected * 0.85, expected * 1.15);
    }
}
