using System.Net;
using System.Text.Json;
using ContextLite.Node.Cli;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Cli;

/// <summary>The query commands against a running node, as a user types them.</summary>
public sealed class QueryCommandsTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync();
        foreach (var (path, content) in new[]
        {
            ("docs/storage.md", "# Storage\n\nEach workspace is one SQLite file in WAL mode.\n"),
            ("docs/ring.md", "# Ring\n\nThe gateway hashes workspaces onto a ring of nodes.\n"),
        })
        {
            using var response = await _node.PostJsonAsync("/api/v1/documents", JsonSerializer.Serialize(new { path, content }), "cli");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Assemble_PrintsEachPassageWithItsPathLinesAndText()
    {
        var (code, output, _) = await RunAsync("assemble", "how is a workspace stored in SQLite?", "--workspace", "cli", "--max-tokens", "200", "--url", Url);

        Assert.Equal(0, code);
        Assert.Contains("of 200 tokens from workspace 'cli'", output, StringComparison.Ordinal);
        Assert.Contains("── docs/storage.md:1-3", output, StringComparison.Ordinal);
        Assert.Contains("Each workspace is one SQLite file in WAL mode.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assemble_Json_PrintsTheAnswerInTheApiShape()
    {
        var (code, output, _) = await RunAsync("assemble", "gateway ring", "-w", "cli", "--json", "--url", Url);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("cli", json.RootElement.GetProperty("workspace").GetString());
        Assert.Equal("docs/ring.md", json.RootElement.GetProperty("documents")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task SearchWorkspacesAndHealth_PrintWhatTheNodeAnswered()
    {
        var search = await RunAsync("search", "ring of nodes", "-w", "cli", "-k", "1", "--url", Url);
        var workspaces = await RunAsync("workspaces", "--url", Url);
        var health = await RunAsync("health", "--url", Url);

        Assert.Equal((0, 0, 0), (search.Code, workspaces.Code, health.Code));
        Assert.Contains(" 1. docs/ring.md:1-3", search.Output, StringComparison.Ordinal);
        Assert.Matches(@"cli\s+2 documents", workspaces.Output);
        Assert.StartsWith("healthy: test-node at " + Url, health.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assemble_UnknownWorkspace_ExitsOneWithTheNodesDetail()
    {
        var (code, _, error) = await RunAsync("assemble", "anything", "-w", "nowhere", "--url", Url);

        Assert.Equal(1, code);
        Assert.Contains("404", error, StringComparison.Ordinal);
        Assert.Contains("Workspace 'nowhere' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_BadUrl_ExitsTwoBeforeAnyRequest()
    {
        var (code, _, error) = await RunAsync("search", "x", "--url", "ftp://example");

        Assert.Equal(IngestCommand.UsageExitCode, code);
        Assert.Contains("--url 'ftp://example' is not an http(s) URL", error, StringComparison.Ordinal);
    }

    private string Url => _node.BaseAddress.ToString();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await NodeCommandLine.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
