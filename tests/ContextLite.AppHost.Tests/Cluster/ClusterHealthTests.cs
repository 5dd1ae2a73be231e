using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ContextLite.AppHost.Tests.Infrastructure;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>The cluster comes up whole, and both <c>/health</c> answers have their documented shapes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterHealthTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Start_AllResources_AreHealthy()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.Equivalent(
            new[] { "cache-server", "node-1", "node-2", "node-3", "gateway", "indexer" },
            cluster.ResourceNames,
            strict: true);
        foreach (var name in cluster.ResourceNames)
        {
            // Already healthy after the fixture's start; this returns at once and fails on a resource that is not.
            var state = await cluster.App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
            Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task GatewayHealth_AllNodesUp_ReportsThreeHealthyNodes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var gateway = cluster.Gateway();

        using var response = await gateway.GetAsync("/health", timeout.Token);
        var health = await response.JsonAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (string?)health["status"]);
        Assert.Equal(3, (int?)health["cluster_size"]);
        Assert.Equal(3, (int?)health["healthy_nodes"]);
        var nodes = health["nodes"]!.AsObject();
        Assert.Equal(ClusterFixture.NodeNames, nodes.Select(n => n.Key).Order(StringComparer.Ordinal));
        Assert.All(nodes, n => Assert.Equal("healthy", (string?)n.Value!["status"]));
    }

    [Theory]
    [InlineData("node-1")]
    [InlineData("node-2")]
    [InlineData("node-3")]
    public async Task NodeHealth_Direct_HasTheSeedShape(string node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = cluster.Node(node);

        using var response = await client.GetAsync("/health", timeout.Token);
        var health = await response.JsonAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(node, response.ServedBy());
        Assert.Equal("healthy", (string?)health["status"]);
        Assert.Equal(node, (string?)health["node_id"]);
        var clusterPart = health["cluster"]!.AsObject();
        foreach (var key in new[] { "enabled", "node_id", "cluster_size", "leader_node", "load_factor", "discovery_method", "load_balancing" })
        {
            Assert.True(clusterPart.ContainsKey(key), $"cluster.{key} is missing from {node}'s /health: {health}");
        }

        Assert.True((bool?)clusterPart["enabled"]);
        Assert.Equal(node, (string?)clusterPart["node_id"]);
        var workspaces = health["workspaces"]!.AsObject();
        foreach (var key in new[] { "total_workspaces", "active_workspaces", "workspaces" })
        {
            Assert.True(workspaces.ContainsKey(key), $"workspaces.{key} is missing from {node}'s /health: {health}");
        }
    }
}
