using ContextLite.Cluster;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using ContextLite.Gateway.Routing;
using ContextLite.ServiceDefaults.Diagnostics;
using ContextLite.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace ContextLite.Gateway.Tests.Routing;

/// <summary>
/// With replication the recorded primary takes writes, the reads of workspace_hash and a sticky session's reads
/// (read-your-writes); other strategies' reads stay on the replica they chose; a write whose primary is down fails
/// rather than reaching a replica that would refuse it.
/// </summary>
public sealed class PrimaryRoutingTests
{
    private static readonly IReadOnlyList<DestinationState> s_all = [new("node-1"), new("node-2"), new("node-3")];

    [Theory]
    [InlineData("workspace_hash", true, false, "node-2")]
    [InlineData("workspace_hash", false, false, "node-2")]
    [InlineData("least_connections", true, false, "node-2")]
    [InlineData("least_connections", false, true, "node-2")]
    [InlineData("least_connections", false, false, "node-1")]
    [InlineData("resource_based", false, false, "node-1")]
    public void ApplyPrimary_SendsWritesHashReadsAndSessionsToThePrimary(string strategy, bool write, bool session, string expected)
    {
        // Arrange: the strategy chose node-1; node-2 is the recorded primary (after a failover, say).
        var router = Router(strategy);
        var feature = new WorkspaceRoutingFeature(WorkspaceId.Parse("ws")) { IsWrite = write, Session = session ? "s1" : null };
        var chosen = Selection("node-1", strategy);

        // Act
        var routed = router.ApplyPrimary(chosen, "node-2", feature, s_all);

        // Assert
        Assert.Equal(expected, routed.NodeId);
        Assert.Null(routed.Error);
    }

    [Fact]
    public void ApplyPrimary_WriteWhosePrimaryIsDown_FailsNamingIt_WhileReadsStayOnTheReplica()
    {
        // Arrange
        var router = Router("workspace_hash");
        IReadOnlyList<DestinationState> withoutPrimary = [s_all[0], s_all[2]];

        // Act
        var write = router.ApplyPrimary(Selection("node-1", "workspace_hash"), "node-2", new WorkspaceRoutingFeature(WorkspaceId.Parse("ws")) { IsWrite = true }, withoutPrimary);
        var read = router.ApplyPrimary(Selection("node-1", "workspace_hash"), "node-2", new WorkspaceRoutingFeature(WorkspaceId.Parse("ws")), withoutPrimary);

        // Assert
        Assert.False(write.Succeeded);
        Assert.Contains("node-2", write.Error, StringComparison.Ordinal);
        Assert.Equal("node-1", read.NodeId);
    }

    [Fact]
    public void ApplyPrimary_PrimaryOutsideThePlacement_IsStillFollowedUntilItHandsOver()
    {
        // Arrange: the nodes changed; node-3 is no longer a replica of the workspace but is still its primary.
        var router = Router("workspace_hash");

        // Act
        var routed = router.ApplyPrimary(Selection("node-1", "workspace_hash"), "node-3", new WorkspaceRoutingFeature(WorkspaceId.Parse("ws")) { IsWrite = true }, s_all);

        // Assert
        Assert.Equal("node-3", routed.NodeId);
    }

    private static NodeSelection Selection(string node, string strategy) =>
        new("ws", node, "node-1", ["node-1", "node-2"], "medium", NodeSelector.ParseStrategy(strategy), null);

    private static WorkspaceRouter Router(string strategy)
    {
        var cluster = new ClusterOptions();
        cluster.LoadBalancing.Strategy = strategy;
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var telemetry = new GatewayTelemetry(meters, new WorkspaceTags(Options.Create(new TelemetryOptions())));
        return new WorkspaceRouter(Options.Create(cluster), Options.Create(new GatewayOptions { ReplicationFactor = 2 }), telemetry);
    }
}
