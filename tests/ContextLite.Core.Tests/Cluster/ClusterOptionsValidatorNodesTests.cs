using ContextLite.Cluster;

namespace ContextLite.Core.Tests.Cluster;

public sealed class ClusterOptionsValidatorNodesTests
{
    private static ClusterOptions WithRule(AffinityRule rule, params string[] endpoints)
    {
        var options = new ClusterOptions { NodeId = "node-1" };
        options.Discovery.Endpoints.AddRange(endpoints);
        options.Affinity.Rules["ws"] = rule;
        return options;
    }

    [Fact]
    public void Validate_RuleNamingANodeOutsideTheGivenList_IsAProblemNamingIt()
    {
        var options = WithRule(new AffinityRule { PreferredNodes = ["alpha", "ghost"], AvoidNodes = ["phantom"] });

        var problems = ClusterOptionsValidator.Validate(options, ["alpha", "beta"]);

        Assert.Contains(problems, p => p.StartsWith("cluster.affinity.rules.ws.preferred_nodes: ghost is not a node", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cluster.affinity.rules.ws.avoid_nodes: phantom is not a node", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("alpha is not", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WithoutAList_EndpointsImplyNode1ToNAndThisNodesId()
    {
        var options = WithRule(new AffinityRule { PreferredNodes = ["node-3", "NODE-1"], AvoidNodes = ["node-4"] }, "h:1", "h:2", "h:3");

        var problems = ClusterOptionsValidator.Validate(options);

        Assert.Equal(["cluster.affinity.rules.ws.avoid_nodes: node-4 is not a node of this cluster (nodes: node-1, node-2, node-3)."], problems);
    }

    [Fact]
    public void Validate_NoListAndNoEndpoints_DoesNotCheckNodeNames()
    {
        var options = WithRule(new AffinityRule { PreferredNodes = ["anything"] });

        Assert.Empty(ClusterOptionsValidator.Validate(options));
    }

    [Fact]
    public void ImpliedNodes_IncludesTheConfiguredNodeId()
    {
        var options = new ClusterOptions { NodeId = "contextlite-node-1" };
        options.Discovery.Endpoints.AddRange(["a:1", "b:2"]);

        Assert.Equal(["contextlite-node-1", "node-1", "node-2"], ClusterOptionsValidator.ImpliedNodes(options).Order(StringComparer.Ordinal));
    }
}
