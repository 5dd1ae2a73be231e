using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Api;

public sealed class HealthApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Health_HasTheSeedShapeWithWorkspaceCounts()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents/bulk", """[{"path":"a","content":"x"},{"path":"b","content":"y"}]""", "proj");

        var health = await _node.GetJsonAsync<JsonNode>("/health");

        Assert.Equal("healthy", (string?)health["status"]);
        Assert.Equal("test-node", (string?)health["node_id"]);
        var cluster = health["cluster"]!;
        Assert.Equal("test-node", (string?)cluster["node_id"]);
        Assert.Equal(1, (int)cluster["cluster_size"]!);
        Assert.Equal("workspace_hash", (string?)cluster["load_balancing"]);
        var workspaces = health["workspaces"]!;
        Assert.Equal(1, (int)workspaces["total_workspaces"]!);
        Assert.Equal(1, (int)workspaces["active_workspaces"]!);
        var proj = workspaces["workspaces"]!["proj"]!;
        Assert.Equal(2, (long)proj["document_count"]!);
        Assert.Equal("high-frequency", (string?)proj["access_pattern"]);
        Assert.NotNull(proj["last_access"]);
    }

    [Fact]
    public async Task Health_ReportsRssNextToTheGcHeap()
    {
        // The node runs in this process: a full collection here is the one its GC figures describe.
        GC.Collect();
        int gen2 = GC.CollectionCount(2);

        var health = await _node.GetJsonAsync<JsonNode>("/health");

        var memory = health["memory"]!;
        var heap = (double)memory["managed_heap_mb"]!;
        Assert.InRange(heap, 0.1, (double)memory["gc_committed_mb"]!);
        Assert.InRange((double)memory["rss_mb"]!, heap, double.MaxValue);
        Assert.InRange((double)memory["allocated_mb"]!, heap, double.MaxValue);
        Assert.True((int)memory["gen2_collections"]! >= gen2);
    }

    [Fact]
    public async Task Health_WithWorkspaceHeader_ReportsOnlyThatWorkspace()
    {
        using var a = await _node.PostJsonAsync("/api/v1/documents", """{"path":"a","content":"x"}""", "one");
        using var b = await _node.PostJsonAsync("/api/v1/documents", """{"path":"a","content":"x"}""", "two");

        var health = await _node.GetJsonAsync<JsonNode>("/health", "two");

        var workspaces = health["workspaces"]!["workspaces"]!.AsObject();
        Assert.Equal(["two"], workspaces.Select(p => p.Key).ToArray());
        Assert.True((bool)workspaces["two"]!["exists"]!);
    }

    [Fact]
    public async Task Health_WithInvalidWorkspaceHeader_Is400()
    {
        using var response = await _node.GetAsync("/health", "../x");

        await Json.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Alive_Is200()
    {
        using var response = await _node.Client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test-node", response.Headers.GetValues("X-ContextLite-Node").Single());
    }
}
