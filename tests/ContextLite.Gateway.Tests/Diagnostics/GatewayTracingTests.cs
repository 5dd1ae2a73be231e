using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ContextLite.Gateway.Tests.Infrastructure;
using ContextLite.Gateway.Tests.Routing;

namespace ContextLite.Gateway.Tests.Diagnostics;

/// <summary>One trace from the client through the gateway to the node, read with an in-process listener.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GatewayTracingTests(TestCluster cluster)
{
    private const string ServerSpan = "Microsoft.AspNetCore.Hosting.HttpRequestIn";
    private const string ClientSpan = "System.Net.Http.HttpRequestOut";

    [Fact]
    public async Task Trace_RequestThroughTheGateway_NodeSpanIsAChildOfTheGatewaysForwardingSpan()
    {
        using var source = new ActivitySource("ContextLite.Gateway.Tests");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "System.Net.Http" or "ContextLite.Gateway.Tests" or "ContextLite.Node",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId traceId;
        string? node;
        using (var root = source.StartActivity("client")!)
        {
            traceId = root.TraceId;
            using var response = await cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", "traced-through"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            node = TestCluster.NodeOf(response);
        }

        // Server spans stop after the response is written: wait for the gateway's, which stops last (up to a minute on
        // a loaded machine).
        List<Activity> spans = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (spans.Count(a => a.OperationName == ServerSpan) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            spans = stopped.Where(a => a.TraceId == traceId).ToList();
        }

        var servers = spans.Where(a => a.OperationName == ServerSpan).ToList();
        Assert.Equal(2, servers.Count);
        var clients = spans.Where(a => a.OperationName == ClientSpan).ToDictionary(a => a.SpanId);
        // The test's call → the gateway's server span → its forwarding client span → the node's server span.
        var gateway = Assert.Single(servers, s => clients.TryGetValue(s.ParentSpanId, out var parent) && parent.Parent?.OperationName == "client");
        var nodeServer = Assert.Single(servers, s => s != gateway);
        var forward = clients[nodeServer.ParentSpanId];
        Assert.Equal(gateway.SpanId, forward.ParentSpanId);
        Assert.NotNull(node);
    }
}
