using System.Net;
using ContextLite.AppHost.Tests.Infrastructure;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>Every service of the AppHost serves its own Prometheus <c>/metrics</c> (ServiceDefaults maps it).</summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsTests(ClusterFixture cluster)
{
    [Theory]
    [InlineData("gateway", "/api/v1/documents?limit=1", "contextlite_gateway_routed_total{")]
    [InlineData("node-1", "/api/v1/workspaces", "contextlite_requests_total{")]
    [InlineData("indexer", null, "contextlite_service_info{service=\"ContextLite.Indexer\"} 1")]
    public async Task Metrics_EachService_AnswersPrometheusTextWithItsOwnSeries(string resource, string? traffic, string? expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = cluster.Node(resource);
        if (traffic is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, traffic);
            request.Headers.Add("X-Workspace-ID", "metrics-check");
            using var counted = await client.SendAsync(request, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        }

        using var response = await client.GetAsync("/metrics", timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        // Served by the service itself: the gateway does not proxy /metrics to a node.
        Assert.Equal(resource.StartsWith("node-", StringComparison.Ordinal), response.Headers.Contains("X-ContextLite-Node"));
        if (expected is not null)
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }
}
