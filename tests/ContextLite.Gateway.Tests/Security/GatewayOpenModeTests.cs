using System.Net;
using ContextLite.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ContextLite.Gateway.Tests.Security;

/// <summary>Without keys the gateway forwards as before, says once that it is open, and still refuses ambiguous workspaces.</summary>
public sealed class GatewayOpenModeTests
{
    [Fact]
    public async Task OpenGateway_WarnsOnce_ForwardsWithoutKeys_AndRefusesPathHeaderDisagreement()
    {
        var logs = new LogCapture();
        await using var node = await TestNode.StartAsync("node-1");
        await using var gateway = await TestGateway.StartAsync([node.Endpoint], configure: b => b.Logging.AddProvider(logs));

        using var add = await gateway.Client.SendAsync(TestCluster.Request(HttpMethod.Post, "/api/v1/documents", "alpha", """{"path": "a.md", "content": "x"}"""));
        using var ambiguous = await gateway.Client.SendAsync(TestCluster.Request(HttpMethod.Post, "/workspace/alpha/api/v1/search", "beta", """{"query": "x"}"""));

        Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        Assert.Null(TestCluster.NodeOf(ambiguous));
        Assert.Contains("'beta'", await ambiguous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("No API keys", StringComparison.Ordinal));
    }
}
