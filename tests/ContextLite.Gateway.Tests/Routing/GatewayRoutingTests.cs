using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextLite.Gateway.Tests.Infrastructure;

namespace ContextLite.Gateway.Tests.Routing;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<TestCluster>
{
    public const string Name = "three nodes behind the gateway";
}

[Collection(ClusterCollection.Name)]
public sealed class GatewayRoutingTests(TestCluster cluster)
{
    private const string Document = """{"path": "docs/routing.md", "content": "# Routing\n\nThe gateway hashes each workspace onto a ring of nodes.\n"}""";
    private const string Assemble = """{"query": "how does the gateway hash workspaces onto nodes?", "max_tokens": 500}""";

    [Fact]
    public async Task Proxy_SameWorkspace_AlwaysLandsOnItsRingOwner()
    {
        foreach (var workspace in TestCluster.Workspaces("same", 5))
        {
            var seen = new HashSet<string?>();
            for (var i = 0; i < 5; i++)
            {
                using var response = await cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", workspace));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                seen.Add(TestCluster.NodeOf(response));
            }

            Assert.Equal([cluster.Ring.Owner(workspace)], seen);
        }
    }

    [Theory]
    [InlineData("GET", "/internal/v1/workspaces/secret/vectors")]
    [InlineData("PUT", "/internal/v1/workspaces/secret/clusters")]
    public async Task Proxy_InternalEndpoints_AreNotForwarded(string method, string path)
    {
        using var request = TestCluster.Request(new HttpMethod(method), path, "secret");
        request.Headers.Add("X-ContextLite-Cluster-Key", "any");

        using var response = await cluster.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(TestCluster.NodeOf(response));
    }

    [Fact]
    public async Task Proxy_DescribeAndDeleteByRouteId_ReachTheWorkspacesOwnerWithoutAHeader()
    {
        foreach (var workspace in TestCluster.Workspaces("by-route", 6))
        {
            using (var write = await cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Post, "/api/v1/documents", workspace, Document)))
            {
                Assert.Equal(HttpStatusCode.Created, write.StatusCode);
            }

            using (var describe = await cluster.Client.GetAsync($"/api/v1/workspaces/{workspace}"))
            {
                Assert.Equal(HttpStatusCode.OK, describe.StatusCode);
                Assert.Equal(cluster.Ring.Owner(workspace), TestCluster.NodeOf(describe));
            }

            using (var delete = await cluster.Client.DeleteAsync($"/api/v1/workspaces/{workspace}"))
            {
                Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
                Assert.Equal(cluster.Ring.Owner(workspace), TestCluster.NodeOf(delete));
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/workspaces/abc", "abc")]
    [InlineData("/api/v1/workspaces/abc/", "abc")]
    [InlineData("/API/v1/workspaces/Abc", "Abc")]
    [InlineData("/api/v1/workspaces", null)]
    [InlineData("/api/v1/workspaces/", null)]
    [InlineData("/api/v1/workspaces/a/b", null)]
    [InlineData("/api/v1/documents/abc", null)]
    public void WorkspaceRouteId_OnlyTheDescribeAndDeleteRoute(string path, string? expected) =>
        Assert.Equal(expected, ContextLite.Gateway.Routing.RequestWorkspaceResolver.WorkspaceRouteId(path));

    [Fact]
    public async Task Proxy_ThirtyWorkspaces_SpreadOverAllThreeNodes()
    {
        var nodes = new HashSet<string?>();
        foreach (var workspace in TestCluster.Workspaces("spread", 30))
        {
            using var response = await cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", workspace));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            nodes.Add(TestCluster.NodeOf(response));
        }

        Assert.Equal(["node-1", "node-2", "node-3"], nodes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task IngestThenAssemble_WorkspaceInHeader_ServedByOwner()
    {
        await IngestAndAssembleAsync(
            "via-header",
            ws => TestCluster.Request(HttpMethod.Post, "/api/v1/documents", ws, Document),
            ws => TestCluster.Request(HttpMethod.Post, "/api/v1/assemble", ws, Assemble));
    }

    [Fact]
    public async Task IngestThenAssemble_WorkspaceInPath_ServedByOwner()
    {
        await IngestAndAssembleAsync(
            "via-path",
            ws => TestCluster.Request(HttpMethod.Post, $"/workspace/{ws}/api/v1/documents", json: Document),
            ws => TestCluster.Request(HttpMethod.Post, $"/workspace/{ws}/api/v1/assemble", json: Assemble));
    }

    [Fact]
    public async Task IngestThenAssemble_WorkspaceInQuery_ServedByOwner()
    {
        await IngestAndAssembleAsync(
            "via-query",
            ws => TestCluster.Request(HttpMethod.Post, $"/api/v1/documents?workspace={ws}", json: Document),
            ws => TestCluster.Request(HttpMethod.Post, $"/api/v1/assemble?workspace={ws}", json: Assemble));
    }

    [Fact]
    public async Task IngestThenAssemble_WorkspacePathInBody_ServedByOwnerOfTheSlug()
    {
        const string folder = "/Users/me/Projects/Via Body";
        var bulk = $$"""{"workspace_path": "{{folder}}", "documents": [{{Document}}]}""";
        var assemble = $$"""{"workspace_path": "{{folder}}", "query": "how does the gateway hash workspaces onto nodes?", "max_tokens": 500}""";

        await IngestAndAssembleAsync(
            "via-body",
            _ => TestCluster.Request(HttpMethod.Post, "/api/v1/documents/bulk", json: bulk),
            _ => TestCluster.Request(HttpMethod.Post, "/api/v1/assemble", json: assemble));
    }

    [Fact]
    public async Task IngestThenAssemble_WorkspaceInUserAgent_ServedByOwner()
    {
        static HttpRequestMessage WithAgent(HttpRequestMessage request, string workspace)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", $"my-cli/1.0 (workspace={workspace})");
            return request;
        }

        await IngestAndAssembleAsync(
            "via-agent",
            ws => WithAgent(TestCluster.Request(HttpMethod.Post, "/api/v1/documents", json: Document), ws),
            ws => WithAgent(TestCluster.Request(HttpMethod.Post, "/api/v1/assemble", json: Assemble), ws));
    }

    [Fact]
    public async Task Proxy_AffinityRules_PreferredAndAvoidedNodesOverrideTheRing()
    {
        var pinned = TestCluster.Workspaces("pinned", 10).First(w => cluster.Ring.Owner(w) != "node-3");
        var avoided = TestCluster.Workspaces("avoided", 10).First(w => cluster.Ring.Owner(w) == "node-1");
        await using var gateway = await TestGateway.StartAsync(cluster.Nodes.Select(n => n.Endpoint), new Dictionary<string, string?>
        {
            [$"cluster:affinity:rules:{pinned}:preferred_nodes:0"] = "node-3",
            [$"cluster:affinity:rules:{avoided}:avoid_nodes:0"] = "node-1",
        });

        using var toPinned = await gateway.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", pinned));
        using var toAvoided = await gateway.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", avoided));

        Assert.Equal("node-3", TestCluster.NodeOf(toPinned));
        Assert.Equal(cluster.Ring.Walk(avoided)[1], TestCluster.NodeOf(toAvoided));
    }

    [Fact]
    public async Task Proxy_InvalidWorkspace_Is400ProblemFromTheGateway()
    {
        using var response = await cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Get, "/api/v1/documents", "../etc"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(TestCluster.NodeOf(response));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("X-Workspace-ID", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AllNodesUp_AggregatesEveryNode()
    {
        using (var ingest = await cluster.Client.SendAsync(TestCluster.Request(HttpMethod.Post, "/api/v1/documents", "health-ws", Document)))
        {
            Assert.True(ingest.IsSuccessStatusCode);
        }

        using var response = await cluster.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(3, health.GetProperty("cluster_size").GetInt32());
        Assert.Equal(3, health.GetProperty("healthy_nodes").GetInt32());
        Assert.Equal(JsonValueKind.Null, health.GetProperty("leader_node").ValueKind);
        Assert.Equal(["node-1", "node-2", "node-3"], health.GetProperty("nodes").EnumerateObject().Select(p => p.Name));
        foreach (var node in health.GetProperty("nodes").EnumerateObject())
        {
            Assert.Equal("healthy", node.Value.GetProperty("status").GetString());
            Assert.StartsWith("http://127.0.0.1:", node.Value.GetProperty("url").GetString(), StringComparison.Ordinal);
        }

        var placement = health.GetProperty("workspaces");
        Assert.True(placement.GetProperty("total_workspaces").GetInt32() >= 1);
        Assert.Equal(cluster.Ring.Owner("health-ws"), placement.GetProperty("workspaces").GetProperty("health-ws").GetString());
    }

    private async Task IngestAndAssembleAsync(
        string workspace, Func<string, HttpRequestMessage> ingest, Func<string, HttpRequestMessage> assemble)
    {
        var owner = cluster.Ring.Owner(workspace);

        using var ingested = await cluster.Client.SendAsync(ingest(workspace));
        var ingestBody = await ingested.Content.ReadAsStringAsync();
        Assert.True(ingested.IsSuccessStatusCode, ingestBody);
        Assert.Equal(owner, TestCluster.NodeOf(ingested));

        using var assembled = await cluster.Client.SendAsync(assemble(workspace));
        var body = await assembled.Content.ReadAsStringAsync();
        Assert.True(assembled.IsSuccessStatusCode, body);
        Assert.Equal(owner, TestCluster.NodeOf(assembled));
        using var json = JsonDocument.Parse(body);
        var documents = json.RootElement.GetProperty("documents");
        Assert.True(documents.GetArrayLength() > 0, body);
        Assert.Equal("docs/routing.md", documents[0].GetProperty("path").GetString());
    }
}
