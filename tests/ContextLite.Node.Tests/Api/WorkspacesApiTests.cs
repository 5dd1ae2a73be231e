using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Api;

public sealed class WorkspacesApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task List_ShowsEveryWorkspaceWithCounts()
    {
        using var a = await _node.PostJsonAsync("/api/v1/documents/bulk", """[{"path":"1","content":"one"},{"path":"2","content":"two"}]""", "alpha");
        using var b = await _node.PostJsonAsync("/api/v1/documents", """{"path":"1","content":"one"}""", "beta");

        var list = await _node.GetJsonAsync<JsonNode>("/api/v1/workspaces");

        Assert.Equal("test-node", (string?)list["node_id"]);
        var workspaces = list["workspaces"]!.AsArray();
        Assert.Equal(["alpha", "beta"], workspaces.Select(w => (string)w!["id"]!).ToArray());
        Assert.Equal(2, (long)workspaces[0]!["documents"]!);
        Assert.Equal(1, (long)workspaces[1]!["documents"]!);
    }

    [Fact]
    public async Task Describe_ReportsCountsBytesVersionAndLastAccess()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"path":"a.md","content":"hello there"}""", "described");

        var workspace = await _node.GetJsonAsync<JsonNode>("/api/v1/workspaces/described");

        Assert.Equal(1, (long)workspace["documents"]!);
        Assert.Equal(1, (long)workspace["chunks"]!);
        Assert.True((long)workspace["tokens"]! > 0);
        Assert.True((long)workspace["bytes_on_disk"]! > 0);
        Assert.Equal(1, (long)workspace["version"]!);
        Assert.Equal(3, (int)workspace["schema_version"]!);
        Assert.NotNull(workspace["last_access"]);
        Assert.Equal("medium", (string?)workspace["resource_tier"]);
    }

    [Fact]
    public async Task Describe_MissingWorkspace_Is404AndCreatesNothing()
    {
        using var response = await _node.GetAsync("/api/v1/workspaces/never-made");

        await Json.AssertProblemAsync(response, 404);
        Assert.False(File.Exists(Path.Combine(_node.DataDirectory, "never-made.db")));
    }

    [Fact]
    public async Task Reads_OfMissingWorkspace_DoNotCreateIt()
    {
        using var list = await _node.GetAsync("/api/v1/documents", "ghost");
        using var get = await _node.GetAsync("/api/v1/documents/x", "ghost");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Empty(Directory.GetFiles(_node.DataDirectory, "ghost*"));
    }

    [Fact]
    public async Task Delete_RemovesTheWorkspaceAndItsFiles()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"path":"a","content":"bye"}""", "doomed");
        Assert.True(File.Exists(Path.Combine(_node.DataDirectory, "doomed.db")));

        using var delete = await _node.Client.DeleteAsync("/api/v1/workspaces/doomed");
        using var describe = await _node.GetAsync("/api/v1/workspaces/doomed");
        using var again = await _node.Client.DeleteAsync("/api/v1/workspaces/doomed");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await Json.AssertProblemAsync(describe, 404);
        await Json.AssertProblemAsync(again, 404);
        Assert.Empty(Directory.GetFiles(_node.DataDirectory, "doomed*"));
    }

    [Fact]
    public async Task Delete_ThenWriteAgain_StartsAnEmptyWorkspace()
    {
        using var first = await _node.PostJsonAsync("/api/v1/documents", """{"path":"a","content":"old"}""", "reborn");
        using var delete = await _node.Client.DeleteAsync("/api/v1/workspaces/reborn");

        using var second = await _node.PostJsonAsync("/api/v1/documents", """{"path":"b","content":"new"}""", "reborn");
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        var list = await _node.GetJsonAsync<JsonNode>("/api/v1/documents", "reborn");
        Assert.Equal(1, (int)list["total"]!);
        Assert.Equal("b", (string?)list["items"]![0]!["path"]);
    }

    [Theory]
    [InlineData("/api/v1/workspaces/a..b")]
    [InlineData("/api/v1/workspaces/Bad%20Name")]
    [InlineData("/api/v1/workspaces/-x")]
    public async Task Describe_InvalidId_Is400(string path)
    {
        using var response = await _node.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task WorkspaceRoutes_AreAlsoServedUnderTheWorkspacePrefix()
    {
        using var _ = await _node.PostJsonAsync("/workspace/prefixed/api/v1/documents", """{"path":"a","content":"x"}""");

        var viaPrefix = await _node.GetJsonAsync<JsonNode>("/workspace/prefixed/api/v1/workspaces/prefixed");
        var docs = await _node.GetJsonAsync<JsonNode>("/workspace/prefixed/api/v1/documents");

        Assert.Equal(1, (long)viaPrefix["documents"]!);
        Assert.Equal(1, (int)docs["total"]!);
    }
}
