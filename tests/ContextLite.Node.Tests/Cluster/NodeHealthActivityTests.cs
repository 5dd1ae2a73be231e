using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Cluster;

/// <summary>The per-workspace activity and cluster fields of <c>/health</c>, over HTTP against a real node without Redis.</summary>
public sealed class NodeHealthActivityTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Health_AfterRequests_ReportsActivityMemoryAndStoragePerWorkspace()
    {
        using (var write = await _node.PostJsonAsync("/api/v1/documents/bulk",
            """[{"path":"a.md","content":"Workspaces keep documents apart."},{"path":"b.md","content":"The gateway routes by workspace."}]""", "busy"))
        {
            Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        }

        await _node.WaitForEmbeddingsAsync();
        using (var search = await _node.PostJsonAsync("/workspace/busy/api/v1/search", """{"query":"workspace","k":2}"""))
        {
            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        }

        using (var list = await _node.GetAsync("/api/v1/documents?limit=1", "busy"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        using (var idle = await _node.PostJsonAsync("/api/v1/documents", """{"path":"c.md","content":"quiet"}""", "idle"))
        {
            Assert.Equal(HttpStatusCode.Created, idle.StatusCode);
        }

        var health = await _node.GetJsonAsync<JsonNode>("/health");

        var busy = health["workspaces"]!["workspaces"]!["busy"]!;
        Assert.Equal(0, (int)busy["active_requests"]!);
        Assert.Equal(3, (long)busy["query_count"]!);
        Assert.True((double)busy["avg_response_ms"]! > 0);
        Assert.True((double)busy["memory_mb"]! > 0, "the searched workspace's vector index is in memory");
        Assert.True((double)busy["storage_mb"]! > 0);
        Assert.Equal(1, (long)health["workspaces"]!["workspaces"]!["idle"]!["query_count"]!);
    }

    [Fact]
    public async Task Health_WithoutRedis_IsItsOwnLeaderOfAClusterOfOneAtNoLoad()
    {
        var health = await _node.GetJsonAsync<JsonNode>("/health");

        var cluster = health["cluster"]!;
        Assert.Equal("test-node", (string?)cluster["leader_node"]);
        Assert.Equal(1, (int)cluster["cluster_size"]!);
        Assert.Equal(0, (double)cluster["load_factor"]!);
    }

    [Fact]
    public async Task Health_WorkspaceManagementRoutes_AreNotCountedAsQueries()
    {
        using (var write = await _node.PostJsonAsync("/api/v1/documents", """{"path":"a","content":"x"}""", "managed"))
        {
            Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        }

        using (var describe = await _node.GetAsync("/api/v1/workspaces/managed"))
        {
            Assert.Equal(HttpStatusCode.OK, describe.StatusCode);
        }

        var health = await _node.GetJsonAsync<JsonNode>("/health", "managed");

        Assert.Equal(1, (long)health["workspaces"]!["workspaces"]!["managed"]!["query_count"]!);
    }
}
