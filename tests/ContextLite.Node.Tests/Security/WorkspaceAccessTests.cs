using System.Net;
using System.Text;
using ContextLite.Node.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ContextLite.Node.Tests.Security;

/// <summary>A key for workspace alpha gets 403 on beta however the request names beta, and each role gets what it may.</summary>
public sealed class WorkspaceAccessTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync(ApiKeys.Settings(new Dictionary<string, string?>
        {
            ["workspaces:user_agent_map:beta-tool"] = "beta",
        }));
        foreach (var workspace in new[] { "alpha", "beta" })
        {
            using var response = await SendAsync(HttpMethod.Post, $"/workspace/{workspace}/api/v1/documents", ApiKeys.Admin,
                """{"path": "a.md", "content": "alpha beta gamma"}""");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string, string, string?, string?, string?> WaysToNameBeta => new()
    {
        // method, path, header, user agent, body
        { "POST", "/workspace/beta/api/v1/search", null, null, """{"query": "alpha"}""" },
        { "POST", "/api/v1/search", "beta", null, """{"query": "alpha"}""" },
        { "POST", "/api/v1/search?workspace=beta", null, null, """{"query": "alpha"}""" },
        { "POST", "/api/v1/search", null, null, """{"query": "alpha", "workspace_path": "projects/Beta"}""" },
        { "POST", "/api/v1/search", null, "my-editor/1.0 (workspace=beta)", """{"query": "alpha"}""" },
        { "POST", "/api/v1/search", null, "beta-tool/2.1", """{"query": "alpha"}""" },
        { "POST", "/api/v1/assemble", "beta", null, """{"query": "alpha"}""" },
        { "GET", "/api/v1/documents", "beta", null, null },
        { "GET", "/workspace/beta/api/v1/documents/a.md", null, null, null },
        { "GET", "/api/v1/workspaces/beta", null, null, null },
        { "GET", "/health", "beta", null, null },
        { "POST", "/api/v1/documents", "beta", null, """{"path": "b.md", "content": "x"}""" },
        { "POST", "/api/v1/documents/bulk", null, null, """{"workspace_path": "/src/beta", "documents": [{"path": "b.md", "content": "x"}]}""" },
        { "DELETE", "/workspace/beta/api/v1/documents/a.md", null, null, null },
    };

    [Theory]
    [MemberData(nameof(WaysToNameBeta))]
    public async Task KeyForAlpha_NamingBetaAnyWay_Is403(string method, string path, string? header, string? userAgent, string? body)
    {
        // Act
        using var response = await SendAsync(new HttpMethod(method), path, ApiKeys.WriteAlpha, body, header, userAgent);

        // Assert
        var detail = await Json.AssertProblemAsync(response, 403);
        Assert.Contains("'beta'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyForBeta_NamingBetaTheSameWays_IsServed()
    {
        using var search = await SendAsync(HttpMethod.Post, "/api/v1/search", ApiKeys.WriteBeta, """{"query": "alpha"}""", userAgent: "beta-tool/2.1");
        using var list = await SendAsync(HttpMethod.Get, "/api/v1/documents?workspace=beta", ApiKeys.WriteBeta);

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task PathAndHeaderDisagree_Is400EvenForAnAdmin()
    {
        using var response = await SendAsync(HttpMethod.Post, "/workspace/alpha/api/v1/search", ApiKeys.Admin, """{"query": "alpha"}""", header: "beta");

        var detail = await Json.AssertProblemAsync(response, 400);
        Assert.Contains("'alpha'", detail, StringComparison.Ordinal);
        Assert.Contains("'beta'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListWorkspaces_ShowsOnlyTheKeysWorkspaces()
    {
        using var alpha = await SendAsync(HttpMethod.Get, "/api/v1/workspaces", ApiKeys.ReadAlpha);
        using var admin = await SendAsync(HttpMethod.Get, "/api/v1/workspaces", ApiKeys.Admin);

        Assert.Equal(["alpha"], Ids(await Json.ReadAsync(alpha)));
        Assert.Equal(["alpha", "beta"], Ids(await Json.ReadAsync(admin)));
    }

    [Fact]
    public async Task ReadKey_ReadsAndQueriesButCannotWrite()
    {
        using var search = await SendAsync(HttpMethod.Post, "/api/v1/search", ApiKeys.ReadAlpha, """{"query": "alpha"}""", "alpha");
        using var assemble = await SendAsync(HttpMethod.Post, "/api/v1/assemble", ApiKeys.ReadAlpha, """{"query": "alpha"}""", "alpha");
        using var get = await SendAsync(HttpMethod.Get, "/workspace/alpha/api/v1/documents", ApiKeys.ReadAlpha);
        using var write = await SendAsync(HttpMethod.Post, "/api/v1/documents", ApiKeys.ReadAlpha, """{"path": "b.md", "content": "x"}""", "alpha");
        using var delete = await SendAsync(HttpMethod.Delete, "/workspace/alpha/api/v1/documents/a.md", ApiKeys.ReadAlpha);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { search.StatusCode, assemble.StatusCode, get.StatusCode });
        Assert.Contains("needs write", await Json.AssertProblemAsync(write, 403), StringComparison.Ordinal);
        await Json.AssertProblemAsync(delete, 403);
    }

    [Fact]
    public async Task WriteKey_WritesDocumentsButCannotDeleteTheWorkspace_AdminCan()
    {
        using var write = await SendAsync(HttpMethod.Post, "/api/v1/documents", ApiKeys.WriteAlpha, """{"path": "w.md", "content": "x"}""", "alpha");
        var id = (string)(await Json.ReadAsync(write))["id"]!;
        using var deleteDocument = await SendAsync(HttpMethod.Delete, "/workspace/alpha/api/v1/documents/" + id, ApiKeys.WriteAlpha);
        using var deleteWorkspace = await SendAsync(HttpMethod.Delete, "/api/v1/workspaces/alpha", ApiKeys.WriteAlpha);
        using var adminDelete = await SendAsync(HttpMethod.Delete, "/api/v1/workspaces/beta", ApiKeys.Admin);

        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleteDocument.StatusCode);
        Assert.Contains("needs admin", await Json.AssertProblemAsync(deleteWorkspace, 403), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, adminDelete.StatusCode);
    }

    [Fact]
    public async Task McpToolWorkspaceArgument_ForAnotherWorkspace_IsAToolError403()
    {
        await using var client = await ConnectAsync(ApiKeys.WriteAlpha, "alpha");

        var own = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "alpha" });
        var other = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "alpha", ["workspace"] = "beta" });
        var add = await client.CallToolAsync("add_documents", new Dictionary<string, object?>
        {
            ["workspace"] = "beta",
            ["documents"] = new[] { new Dictionary<string, string> { ["path"] = "m.md", ["content"] = "x" } },
        });

        Assert.NotEqual(true, own.IsError);
        Assert.True(other.IsError);
        Assert.Contains("(403)", Text(other), StringComparison.Ordinal);
        Assert.True(add.IsError);
        Assert.Contains("(403)", Text(add), StringComparison.Ordinal);
    }

    [Fact]
    public async Task McpReadKey_CannotAddDocuments_AndListsOnlyItsWorkspaces()
    {
        await using var client = await ConnectAsync(ApiKeys.ReadAlpha, "alpha");

        var add = await client.CallToolAsync("add_documents", new Dictionary<string, object?>
        {
            ["documents"] = new[] { new Dictionary<string, string> { ["path"] = "m.md", ["content"] = "x" } },
        });
        var list = await client.CallToolAsync("list_workspaces", new Dictionary<string, object?>());

        Assert.True(add.IsError);
        Assert.Contains("needs write", Text(add), StringComparison.Ordinal);
        Assert.Contains("- alpha:", Text(list), StringComparison.Ordinal);
        Assert.DoesNotContain("beta", Text(list), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_WithoutAKey_Is401()
    {
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(null, "alpha"));
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private static List<string> Ids(System.Text.Json.Nodes.JsonNode list) =>
        [.. list["workspaces"]!.AsArray().Select(w => (string)w!["id"]!).Order(StringComparer.Ordinal)];

    private Task<McpClient> ConnectAsync(string? key, string workspace)
    {
        var headers = new Dictionary<string, string> { ["X-Workspace-ID"] = workspace };
        if (key is not null)
        {
            headers["Authorization"] = "Bearer " + key;
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_node.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        return McpClient.CreateAsync(transport);
    }

    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string key, string? body = null, string? header = null, string? userAgent = null)
    {
        var request = new HttpRequestMessage(method, path).With(key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (header is not null)
        {
            request.Headers.Add("X-Workspace-ID", header);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return _node.Client.SendAsync(request);
    }
}
