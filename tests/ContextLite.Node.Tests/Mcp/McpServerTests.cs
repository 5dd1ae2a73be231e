using System.Net;
using System.Text.Json;
using ContextLite.Node.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ContextLite.Node.Tests.Mcp;

/// <summary>An MCP client speaking streamable HTTP to a running node, as Claude Code or VS Code would.</summary>
public sealed class McpServerTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            // A tight budget for one workspace, to see a quota refusal come back as a tool error.
            ["cluster:resource_limits:tight:max_tokens_per_minute"] = "100",
        });
        await AddAsync("docs/storage.md", "# Storage\n\nEach workspace is one SQLite file in WAL mode.\nWrites are durable when acknowledged.\n", "demo");
        await AddAsync("docs/ring.md", "# Ring\n\nThe gateway hashes workspaces onto a consistent-hash ring of nodes.\n", "demo");
        await AddAsync("notes.txt", "Penguins live in the southern hemisphere.\n", "other");
        await _node.WaitForEmbeddingsAsync();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Initialize_ListsTheFourTools()
    {
        await using var client = await ConnectAsync("demo");

        var tools = await client.ListToolsAsync();

        Assert.Equal("contextlite", client.ServerInfo!.Name);
        Assert.Equal(["add_documents", "assemble_context", "list_workspaces", "search"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var assemble = tools.Single(t => t.Name == "assemble_context");
        Assert.Contains("query", assemble.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(assemble.ProtocolTool.Annotations?.ReadOnlyHint);
    }

    [Fact]
    public async Task AssembleContext_WorkspaceFromHeader_ReturnsTheIngestedPassagesWithPathsAndLines()
    {
        await using var client = await ConnectAsync("demo");

        var result = await client.CallToolAsync("assemble_context", new Dictionary<string, object?>
        {
            ["query"] = "how is a workspace stored in SQLite?",
            ["maxTokens"] = 500,
        });

        Assert.NotEqual(true, result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Contains("## docs/storage.md (lines 1-4", text, StringComparison.Ordinal);
        Assert.Contains("Each workspace is one SQLite file in WAL mode.", text, StringComparison.Ordinal);
        var structured = result.StructuredContent!.Value;
        Assert.Equal("demo", structured.GetProperty("workspace").GetString());
        var paths = structured.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("path").GetString()).ToList();
        Assert.Equal("docs/storage.md", paths[0]);
        Assert.DoesNotContain("notes.txt", paths);
    }

    [Fact]
    public async Task AssembleContext_WorkspaceArgument_WinsOverTheConnectionHeader()
    {
        await using var client = await ConnectAsync("demo");

        var result = await client.CallToolAsync("assemble_context", new Dictionary<string, object?>
        {
            ["query"] = "where do penguins live?",
            ["workspace"] = "other",
        });

        Assert.NotEqual(true, result.IsError);
        var structured = result.StructuredContent!.Value;
        Assert.Equal("other", structured.GetProperty("workspace").GetString());
        Assert.Equal("notes.txt", structured.GetProperty("documents")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Search_WorkspaceFromPath_WhenTheClientSendsNoHeader()
    {
        await using var client = await ConnectAsync(workspace: null, path: "/workspace/demo/mcp");

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "consistent-hash ring", ["maxResults"] = 1 });

        Assert.NotEqual(true, result.IsError);
        var hit = Assert.Single(result.StructuredContent!.Value.GetProperty("results").EnumerateArray());
        Assert.Equal("docs/ring.md", hit.GetProperty("path").GetString());
        Assert.Contains("1. docs/ring.md (lines 1-3", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDocuments_ThenAssemble_FindsTheNewDocument_AndReportsBadItemsOnTheirOwn()
    {
        await using var client = await ConnectAsync("mcp-added");

        var added = await client.CallToolAsync("add_documents", new Dictionary<string, object?>
        {
            ["documents"] = new object[]
            {
                new Dictionary<string, object?> { ["path"] = "src/quota.cs", ["content"] = "// Token buckets refill every minute.\nclass Quota {}\n" },
                new Dictionary<string, object?> { ["path"] = "empty.txt", ["content"] = "" },
            },
        });
        var assembled = await client.CallToolAsync("assemble_context", new Dictionary<string, object?> { ["query"] = "token buckets refill" });

        Assert.NotEqual(true, added.IsError);
        var batch = added.StructuredContent!.Value;
        Assert.Equal(1, batch.GetProperty("added").GetInt32());
        Assert.Equal(1, batch.GetProperty("errors").GetInt32());
        Assert.Contains("empty.txt: error", Text(added), StringComparison.Ordinal);
        Assert.Equal("src/quota.cs", assembled.StructuredContent!.Value.GetProperty("documents")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task ListWorkspaces_NamesEveryWorkspaceWithCounts()
    {
        await using var client = await ConnectAsync(workspace: null);

        var result = await client.CallToolAsync("list_workspaces");

        var ids = result.StructuredContent!.Value.GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("id").GetString()).ToList();
        Assert.Contains("demo", ids);
        Assert.Contains("other", ids);
        Assert.Contains("- demo: 2 documents", Text(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "query", "anything", "(404)")]
    [InlineData("Bad Id!", "query", "anything", "(400)")]
    [InlineData("demo", "query", " ", "'query' must not be blank")]
    public async Task AssembleContext_Problems_AreToolErrorsThatSayWhatToFix(string workspace, string name, string value, string expected)
    {
        await using var client = await ConnectAsync("demo");

        var result = await client.CallToolAsync("assemble_context", new Dictionary<string, object?> { [name] = value, ["workspace"] = workspace });

        Assert.True(result.IsError);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssembleContext_OverTheWorkspaceQuota_IsAToolErrorWithTheWait()
    {
        await AddAsync("a.md", "alpha beta gamma\n", "tight");
        await using var client = await ConnectAsync("tight");

        var first = await client.CallToolAsync("assemble_context", new Dictionary<string, object?> { ["query"] = "alpha", ["maxTokens"] = 100 });
        var second = await client.CallToolAsync("assemble_context", new Dictionary<string, object?> { ["query"] = "beta", ["maxTokens"] = 100 });

        Assert.NotEqual(true, first.IsError);
        Assert.True(second.IsError);
        Assert.Contains("(429)", Text(second), StringComparison.Ordinal);
        Assert.Contains("Retry after", Text(second), StringComparison.Ordinal);
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private Task<McpClient> ConnectAsync(string? workspace, string path = "/mcp")
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_node.BaseAddress, path),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = workspace is null ? null : new Dictionary<string, string> { ["X-Workspace-ID"] = workspace },
        });
        return McpClient.CreateAsync(transport);
    }

    private async Task AddAsync(string path, string content, string workspace)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = path, ["content"] = content });
        using var response = await _node.PostJsonAsync("/api/v1/documents", body, workspace);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
