using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ContextLite.Storage;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Cli;

public sealed class IngestCommandTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Ingest_MixedFolder_StoresOnlyKeptTextFilesAndReportsEverySkipReason()
    {
        using var folder = new IngestFolder()
            .Write("README.md", "# Project\n\nHello.\n")
            .Write("docs/guide.md", "A guide.\n")
            .Write("src/app.cs", "class App { }\n")
            .Write("src/lib/util.cs", "static class Util { }\n")
            .Write(".gitignore", "*.log\nbuild/\n")
            .Write("debug.log", "ignored by *.log\n")
            .Write("build/out.txt", "inside an ignored folder\n")
            .Write("src/.gitignore", "secret.txt\n!keep.log\n")
            .Write("src/secret.txt", "ignored by the nested .gitignore\n")
            .Write("src/keep.log", "re-included by the nested .gitignore\n")
            .Write("notes/draft.bak", "excluded by glob\n")
            .WriteBytes("logo.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02])
            .WriteBytes("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A])
            .Write("big.txt", new string('x', 2000))
            .Write("empty.txt", string.Empty)
            .Write("blank.txt", "  \n\t\n")
            .Write(".git/config", "[core]\n");

        var run = await IngestInvocation.RunAsync(
            folder.Path, "--workspace", "mixed", "--server", _node.BaseAddress.ToString(), "--exclude", "**/*.bak", "--max-file-bytes", "1000");

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] expected = [".gitignore", "README.md", "docs/guide.md", "src/.gitignore", "src/app.cs", "src/keep.log", "src/lib/util.cs"];
        Assert.Equal(expected, await ListPathsAsync("mixed"));
        Assert.Equal("files sent: 7", run.Line("files sent"));
        Assert.Equal("added: 7", run.Line("added"));
        Assert.Equal("errors: 0", run.Line("errors"));
        Assert.Equal("gitignored: 3", run.Line("gitignored"));
        Assert.Equal("excluded by glob: 1", run.Line("excluded by glob"));
        Assert.Equal("binary: 2", run.Line("binary"));
        Assert.Equal("too large: 1", run.Line("too large"));
        Assert.Equal("empty: 2", run.Line("empty"));
        Assert.Matches(@"elapsed: \d+\.\d\d s", run.Output);
        Assert.DoesNotContain("chunks: 0", run.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task Ingest_SameFolderTwice_SecondRunReportsAllUnchanged()
    {
        using var folder = ThreeFiles();
        var first = await IngestAsync(folder, "twice");

        var second = await IngestAsync(folder, "twice");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("added: 0", second.Line("added"));
        Assert.Equal("updated: 0", second.Line("updated"));
        Assert.Equal("unchanged: 3", second.Line("unchanged"));
        Assert.Equal(3, (await ListPathsAsync("twice")).Count);
    }

    [Fact]
    public async Task Ingest_OneFileEditedSinceLastRun_ReportsOneUpdatedAndNoDuplicate()
    {
        using var folder = ThreeFiles();
        await IngestAsync(folder, "edited");
        folder.Write("b/two.md", "two, edited\n");

        var run = await IngestAsync(folder, "edited");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("updated: 1", run.Line("updated"));
        Assert.Equal("unchanged: 2", run.Line("unchanged"));
        Assert.Equal(3, (await ListPathsAsync("edited")).Count);
        var stored = await _node.GetJsonAsync<JsonNode>("/api/v1/documents/" + DocumentRules.DeriveId("b/two.md"), "edited");
        Assert.Equal("two, edited\n", (string?)stored["content"]);
        Assert.Equal(2, (int)stored["version"]!);
    }

    [Fact]
    public async Task Ingest_BatchSizeTwoOverFiveFiles_StoresAllFive()
    {
        using var folder = new IngestFolder();
        for (var i = 1; i <= 5; i++)
        {
            folder.Write($"f{i}.txt", $"file number {i}\n");
        }

        var run = await IngestAsync(folder, "batched", "--batch-size", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("added: 5", run.Line("added"));
        Assert.Equal(["f1.txt", "f2.txt", "f3.txt", "f4.txt", "f5.txt"], await ListPathsAsync("batched"));
    }

    [Fact]
    public async Task Ingest_DocumentTheServerRejects_ExitsOneAndListsItsPathAndMessage()
    {
        await using var strict = await NodeHost.StartAsync(new Dictionary<string, string?> { ["storage:max_document_bytes"] = "100" });
        using var folder = new IngestFolder().Write("small.txt", "fits\n").Write("large.txt", new string('y', 500));

        var run = await IngestInvocation.RunAsync(folder.Path, "--workspace", "strict", "--server", strict.BaseAddress.ToString());

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("added: 1", run.Line("added"));
        Assert.Equal("errors: 1", run.Line("errors"));
        Assert.Contains("large.txt: 'content' is 500 bytes", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_BatchOverServerItemLimit_RetriesAsTwoHalvesAndSucceeds()
    {
        await using var limited = await NodeHost.StartAsync(new Dictionary<string, string?> { ["server:max_documents_per_request"] = "2" });
        using var folder = new IngestFolder().Write("a.txt", "a\n").Write("b.txt", "b\n").Write("c.txt", "c\n").Write("d.txt", "d\n");

        var run = await IngestInvocation.RunAsync(folder.Path, "--workspace", "split", "--server", limited.BaseAddress.ToString(), "--batch-size", "4");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("added: 4", run.Line("added"));
    }

    [Fact]
    public async Task Ingest_BatchStillTooLargeAfterSplit_ExitsOneWithServerDetail()
    {
        await using var limited = await NodeHost.StartAsync(new Dictionary<string, string?> { ["server:max_documents_per_request"] = "1" });
        using var folder = new IngestFolder().Write("a.txt", "a\n").Write("b.txt", "b\n").Write("c.txt", "c\n").Write("d.txt", "d\n");

        var run = await IngestInvocation.RunAsync(folder.Path, "--workspace", "split", "--server", limited.BaseAddress.ToString(), "--batch-size", "4");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("413", run.Error, StringComparison.Ordinal);
        Assert.Contains("the limit is 1 per request", run.Error, StringComparison.Ordinal);
        Assert.Contains("files sent: 0", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_InvalidWorkspace_ExitsTwoBeforeAnyRequest()
    {
        using var folder = ThreeFiles();

        var run = await IngestInvocation.RunAsync(folder.Path, "--workspace", "../escape", "--server", "http://127.0.0.1:1/");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--workspace '../escape' is not a valid workspace id", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Output);
    }

    [Theory]
    [InlineData("does-not-exist", "does not exist")]
    [InlineData("", "name the folder to ingest")]
    public async Task Ingest_MissingFolder_ExitsTwoWithMessage(string directory, string message)
    {
        string[] arguments = directory.Length == 0 ? [] : [Path.Combine(Path.GetTempPath(), "contextlite-tests", directory, Guid.NewGuid().ToString("N"))];

        var run = await IngestInvocation.RunAsync(arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_FileInsteadOfFolder_ExitsTwo()
    {
        using var folder = ThreeFiles();

        var run = await IngestInvocation.RunAsync(folder.FullPath("a/one.md"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is a file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_NothingListeningOnServerPort_ExitsOneWithCannotReach()
    {
        using var folder = ThreeFiles();
        var server = $"http://127.0.0.1:{FreePort()}";

        var run = await IngestInvocation.RunAsync(folder.Path, "--workspace", "nowhere", "--server", server);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"cannot reach server {server}/", run.Error, StringComparison.Ordinal);
    }

    private static IngestFolder ThreeFiles() => new IngestFolder()
        .Write("a/one.md", "one\n")
        .Write("b/two.md", "two\n")
        .Write("three.txt", "three\n");

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private Task<IngestInvocation> IngestAsync(IngestFolder folder, string workspace, params string[] extra) =>
        IngestInvocation.RunAsync([folder.Path, "--workspace", workspace, "--server", _node.BaseAddress.ToString(), .. extra]);

    private async Task<List<string>> ListPathsAsync(string workspace)
    {
        var page = await _node.GetJsonAsync<JsonNode>("/api/v1/documents?limit=1000", workspace);
        var paths = new List<string>();
        foreach (var item in page["items"]!.AsArray())
        {
            paths.Add((string)item!["path"]!);
        }

        paths.Sort(StringComparer.Ordinal);
        Assert.Equal(paths.Count, (int)page["total"]!);
        return paths;
    }
}
