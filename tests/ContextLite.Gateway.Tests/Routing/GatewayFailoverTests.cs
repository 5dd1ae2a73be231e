using System.Net;
using System.Text.Json;
using ContextLite.Gateway.Tests.Infrastructure;

namespace ContextLite.Gateway.Tests.Routing;

/// <summary>Stops a node, so it has a cluster of its own.</summary>
public sealed class GatewayFailoverTests : IAsyncLifetime
{
    private const string Victim = "node-2";
    private readonly TestCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Proxy_OneNodeStopped_OthersAllSucceedAndLostWorkspacesGet503NamingTheNode()
    {
        var workspaces = TestCluster.Workspaces("failover", 30);
        var lost = workspaces.Where(w => _cluster.Ring.Owner(w) == Victim).ToArray();
        var kept = workspaces.Except(lost).ToArray();
        Assert.NotEmpty(lost);
        foreach (var workspace in workspaces)
        {
            using var before = await SendAsync(workspace);
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _cluster.Node(Victim).StopAsync();

        // From the first request on, before any health check has noticed, a lost workspace gets the 503 naming its
        // node (a failed forward is answered like a node known to be down, never a bare 502).
        using (var first = await SendAsync(lost[0]))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            using var problem = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
            Assert.Equal(Victim, problem.RootElement.GetProperty("node").GetString());
        }

        for (var i = 0; i < 60; i++)
        {
            var workspace = kept[i % kept.Length];
            using var response = await SendAsync(workspace);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(_cluster.Ring.Owner(workspace), TestCluster.NodeOf(response));
        }

        foreach (var workspace in lost)
        {
            using var response = await SendAsync(workspace);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal($"Workspace '{workspace}' lives on {Victim}, which is unavailable.", problem.RootElement.GetProperty("detail").GetString());
            Assert.Equal(Victim, problem.RootElement.GetProperty("node").GetString());
        }

        using var health = await _cluster.Client.GetAsync(new Uri("/health", UriKind.Relative));
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("degraded", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("healthy_nodes").GetInt32());
        Assert.Equal("unreachable", json.RootElement.GetProperty("nodes").GetProperty(Victim).GetProperty("status").GetString());
    }

    private Task<HttpResponseMessage> SendAsync(string workspace) =>
        _cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", workspace));
}
