using ContextLite.Node.Cli;

namespace ContextLite.Node.Tests.Cli;

public sealed class IngestOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("https://nodes.example/contextlite", "https://nodes.example/contextlite/")]
    [InlineData("http://host:9000/base/", "http://host:9000/base/")]
    public void TryCreate_ServerUrl_EndsWithSlashSoTheApiPathGoesUnderIt(string server, string expected)
    {
        var (ok, options, error) = Create(server: server);

        Assert.True(ok, error);
        Assert.Equal(expected, options!.Server.ToString());
    }

    [Theory]
    [InlineData("ftp://host/")]
    [InlineData("localhost:8080")]
    [InlineData("http://host/?x=1")]
    public void TryCreate_ServerNotHttp_FailsNamingTheOption(string server)
    {
        var (ok, _, error) = Create(server: server);

        Assert.False(ok);
        Assert.Contains("--server", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_UpperCaseWorkspace_IsCanonicalised()
    {
        var (ok, options, error) = Create(workspace: "My-Project");

        Assert.True(ok, error);
        Assert.Equal("my-project", options!.Workspace.Value);
    }

    [Theory]
    [InlineData(0, 100, "--max-file-bytes")]
    [InlineData(1024, 0, "--batch-size")]
    public void TryCreate_NonPositiveLimit_FailsNamingTheOption(int maxFileBytes, int batchSize, string option)
    {
        var ok = IngestOptions.TryCreate(
            Path.GetTempPath(), "default", IngestOptions.DefaultServer, null, null, maxFileBytes, batchSize, true, out _, out var error);

        Assert.False(ok);
        Assert.StartsWith(option, error, StringComparison.Ordinal);
    }

    private static (bool Ok, IngestOptions? Options, string? Error) Create(
        string server = IngestOptions.DefaultServer, string workspace = IngestOptions.DefaultWorkspace)
    {
        var ok = IngestOptions.TryCreate(
            Path.GetTempPath(),
            workspace,
            server,
            null,
            null,
            IngestOptions.DefaultMaxFileBytes,
            IngestOptions.DefaultBatchSize,
            useGitignore: true,
            out var options,
            out var error);
        return (ok, options, error);
    }
}
