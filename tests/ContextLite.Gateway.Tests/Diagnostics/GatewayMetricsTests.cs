using System.Net;
using ContextLite.Gateway.Tests.Infrastructure;
using ContextLite.Gateway.Tests.Routing;

namespace ContextLite.Gateway.Tests.Diagnostics;

/// <summary>The gateway's own <c>/metrics</c>, compared with the requests a test sent through it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GatewayMetricsTests(TestCluster cluster)
{
    private const string Routed = "contextlite_gateway_routed_total";

    [Fact]
    public async Task Metrics_AfterRequestsThroughTheGateway_RoutedCountsByNodeMatchTheAnswers()
    {
        // The cluster is shared by the collection's tests (run one at a time): compare differences.
        var before = await ScrapeAsync();
        var served = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var workspace in TestCluster.Workspaces("metrics", 12))
        {
            for (var i = 0; i < 2; i++)
            {
                using var response = await cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", workspace));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var node = TestCluster.NodeOf(response)!;
                served[node] = served.GetValueOrDefault(node) + 1;
            }
        }

        var after = await ScrapeAsync();

        Assert.True(served.Count > 1, "twelve workspaces should land on more than one node");
        foreach (var node in new[] { "node-1", "node-2", "node-3" })
        {
            var routed = after.Sum(Routed, ("node", node)) - before.Sum(Routed, ("node", node));
            Assert.Equal(served.GetValueOrDefault(node), routed);
        }

        Assert.Equal(24, after.Sum(Routed, ("strategy", "workspace_hash")) - before.Sum(Routed, ("strategy", "workspace_hash")));
        Assert.Equal("counter", after.Types[Routed]);
    }

    [Fact]
    public async Task Metrics_ServedByTheGatewayItself_NotProxiedToANode()
    {
        using var response = await cluster.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(TestCluster.NodeOf(response));
        Assert.DoesNotContain(PrometheusText.Parse(text).Samples, s => s.Name.StartsWith("contextlite_requests", StringComparison.Ordinal));
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await cluster.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
