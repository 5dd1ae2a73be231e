using System.Net;
using ContextLite.Node.Cli;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Security;

/// <summary>The query and ingest commands against a node with API keys: <c>--api-key</c> gets in, no key does not.</summary>
public sealed class ApiKeyCliTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    private string Url => _node.BaseAddress.ToString();

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync(ApiKeys.Settings());

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task IngestThenQueries_WithApiKey_Succeed()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "ring.md"), "# Ring\n\nThe gateway hashes workspaces onto a ring of nodes.\n");

        var ingest = await RunAsync("ingest", folder.Path, "--workspace", "alpha", "--url", Url, "--api-key", ApiKeys.WriteAlpha);
        var search = await RunAsync("search", "ring of nodes", "-w", "alpha", "--url", Url, "--api-key", ApiKeys.ReadAlpha);
        var assemble = await RunAsync("assemble", "ring of nodes", "-w", "alpha", "--url", Url, "--api-key", ApiKeys.ReadAlpha);
        var workspaces = await RunAsync("workspaces", "--url", Url, "--api-key", ApiKeys.ReadAlpha);
        var health = await RunAsync("health", "--url", Url, "--api-key", ApiKeys.ReadAlpha);

        Assert.True(ingest.Code == 0, ingest.Error);
        Assert.Equal((0, 0, 0, 0), (search.Code, assemble.Code, workspaces.Code, health.Code));
        Assert.Contains("ring.md", search.Output, StringComparison.Ordinal);
        Assert.Contains("ring.md", assemble.Output, StringComparison.Ordinal);
        Assert.Contains("alpha", workspaces.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queries_WithoutOrWithAWrongKey_ExitOneWith401()
    {
        var without = await RunAsync("search", "ring", "-w", "alpha", "--url", Url);
        var wrong = await RunAsync("workspaces", "--url", Url, "--api-key", ApiKeys.Wrong);

        Assert.Equal((1, 1), (without.Code, wrong.Code));
        Assert.Contains("401", without.Error, StringComparison.Ordinal);
        Assert.Contains("401", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_WithAReadKey_StoresNothing()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "a.md"), "text\n");

        var ingest = await RunAsync("ingest", folder.Path, "--workspace", "alpha", "--url", Url, "--api-key", ApiKeys.ReadAlpha);

        Assert.Equal(1, ingest.Code);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workspaces/alpha").With(ApiKeys.Admin);
        using var response = await _node.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await NodeCommandLine.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
