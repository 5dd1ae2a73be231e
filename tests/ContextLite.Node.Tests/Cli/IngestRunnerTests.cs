using ContextLite.Node.Cli;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Cli;

public sealed class IngestRunnerTests
{
    [Fact]
    public async Task RunAsync_BatchSizeTwoOverFiveFiles_PostsBatchesOfTwoTwoOne()
    {
        await using var node = await NodeHost.StartAsync();
        using var folder = FiveFiles();
        var handler = new RecordingHandler();

        var (exitCode, output) = await RunAsync(folder, node, batchSize: 2, handler);

        Assert.True(exitCode == 0, output);
        Assert.Equal([2, 2, 1], handler.BatchSizes);
        Assert.Contains("added: 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ServerRefusesBatchAs413_SendsItAgainAsTwoHalves()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?> { ["server:max_documents_per_request"] = "3" });
        using var folder = FiveFiles();
        var handler = new RecordingHandler();

        var (exitCode, output) = await RunAsync(folder, node, batchSize: 5, handler);

        Assert.True(exitCode == 0, output);
        Assert.Equal([5, 2, 3], handler.BatchSizes);
        Assert.Equal([413, 200, 200], handler.StatusCodes);
        Assert.Contains("added: 5", output, StringComparison.Ordinal);
    }

    private static IngestFolder FiveFiles()
    {
        var folder = new IngestFolder();
        for (var i = 1; i <= 5; i++)
        {
            folder.Write($"f{i}.txt", $"file number {i}\n");
        }

        return folder;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IngestFolder folder, NodeHost node, int batchSize, HttpMessageHandler handler)
    {
        Assert.True(IngestOptions.TryCreate(
            folder.Path, "runner", node.BaseAddress.ToString(), null, null, IngestOptions.DefaultMaxFileBytes, batchSize, true, out var options, out var error), error);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var runner = new IngestRunner(options, output, errors, showProgress: false, TimeProvider.System, handler);

        var exitCode = await runner.RunAsync(CancellationToken.None);

        return (exitCode, output + errors.ToString());
    }
}
