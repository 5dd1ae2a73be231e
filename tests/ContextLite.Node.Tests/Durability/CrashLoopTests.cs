using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContextLite.Node.Cli;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ContextLite.Node.Tests.Durability;

/// <summary>
/// <c>kill -9</c> of a real node process during bulk ingest, many times over: every acknowledged document is there
/// after the last restart, <c>verify</c> finds nothing to repair, and once the node has re-embedded what was pending,
/// the vector index covers every chunk and nothing else.
/// </summary>
/// <remarks>
/// Five kills by default; <c>CONTEXTLITE_CRASH_KILLS</c> sets more (<c>tests/scripts/crash-loop.sh</c> runs 50).
/// </remarks>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    private static readonly string[] Workspaces = ["crash-a", "crash-b"];

    private static readonly Dictionary<string, string> NodeEnvironment = new() { ["CONTEXTLITE_embeddings__provider"] = "hashing" };

    [Fact]
    public async Task KillNine_ManyTimesDuringBulkIngest_LosesNothingAndIndexesAgree()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CONTEXTLITE_CRASH_KILLS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5;
        using var data = new TempDirectory();
        var acknowledged = new Dictionary<(string Workspace, string Id), string>();
        var random = new Random(20261127);

        for (var round = 0; round < kills; round++)
        {
            await using var node = await NodeProcess.StartAsync(data.Path, environment: NodeEnvironment);
            using var stop = new CancellationTokenSource();
            var before = Acknowledged.Count(acknowledged);
            var writers = Enumerable.Range(0, 3).Select(w => WriteUntilKilledAsync(node.Client, Workspaces[w % Workspaces.Length], $"r{round}-w{w}", acknowledged, stop.Token)).ToList();

            // The kill lands at a random moment of the ingest, but not before this round has had a batch acknowledged: a
            // fresh process on a loaded machine can take longer than the random delay over its first batch.
            await Task.Delay(random.Next(200, 900));
            await Acknowledged.WaitForMoreThanAsync(acknowledged, before);
            node.KillHard();
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= kills * 20, $"only {acknowledged.Count} documents were acknowledged in {kills} rounds");

        // Restart and let the node re-embed what was pending at the last kill.
        await using (var node = await NodeProcess.StartAsync(data.Path, environment: NodeEnvironment))
        {
            foreach (var workspace in Workspaces)
            {
                await WaitForEmbeddingsAsync(node.Client, workspace);
            }

            node.KillHard();
        }

        var lost = await CountLostAsync(data.Path, acknowledged);
        Assert.Equal(0, lost);

        using var report = new StringWriter();
        var code = await NodeCommandLine.InvokeAsync(["verify", "--data-dir", data.Path], report, report);
        Assert.True(code == 0, report.ToString());
        foreach (var workspace in Workspaces)
        {
            // "N chunks, N embedded": the vector index covers every chunk; verify has already ruled out vectors of no chunk.
            var line = report.ToString().Split('\n').Single(l => l.StartsWith(workspace + ":", StringComparison.Ordinal));
            var counts = line[(line.IndexOf('(', StringComparison.Ordinal) + 1)..line.IndexOf(')', StringComparison.Ordinal)].Split(", ");
            Assert.Equal(counts[1].Split(' ')[0], counts[2].Split(' ')[0]);
        }

        output.WriteLine($"{kills} kills, {acknowledged.Count} acknowledged documents, {lost} lost");
        output.WriteLine(report.ToString());
    }

    private static async Task WriteUntilKilledAsync(
        HttpClient client, string workspace, string writer, Dictionary<(string, string), string> acknowledged, CancellationToken stop)
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var docs = Enumerable.Range(0, 20)
                .Select(k => (Id: $"{writer}-b{batch}-{k}", Content: $"{writer} batch {batch} item {k} token{writer.Replace('-', 'x')}b{batch}k{k} " + new string('x', k * 41)))
                .ToList();
            var body = new JsonArray([.. docs.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["path"] = d.Id + ".txt", ["content"] = d.Content })]);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents/bulk")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Workspace-ID", workspace);
            try
            {
                using var response = await client.SendAsync(request, CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }

                lock (acknowledged)
                {
                    foreach (var (id, content) in docs)
                    {
                        acknowledged[(workspace, id)] = content;
                    }
                }
            }
            catch (HttpRequestException)
            {
                return; // Killed under this request: not acknowledged, so not expected.
            }
        }
    }

    private static async Task WaitForEmbeddingsAsync(HttpClient client, string workspace)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var info = JsonNode.Parse(await client.GetStringAsync("/api/v1/workspaces/" + workspace))!;
            if ((long)info["embeddings"]!["pending"]! == 0 && !(bool)info["embeddings"]!["queued"]!)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"workspace {workspace} still has chunks waiting for vectors after the restart");
    }

    private static async Task<int> CountLostAsync(string dataDirectory, Dictionary<(string Workspace, string Id), string> acknowledged)
    {
        using var catalog = new WorkspaceCatalog(
            Options.Create(new StorageOptions { DataDirectory = dataDirectory }),
            Options.Create(new ChunkingOptions()),
            TiktokenCounter.Cl100k,
            TimeProvider.System);
        var lost = 0;
        foreach (var ((workspace, id), content) in acknowledged)
        {
            var document = await catalog.TryOpen(WorkspaceId.Parse(workspace))!.GetDocumentAsync(id);
            if (document?.Content != content)
            {
                lost++;
            }
        }

        SqliteConnection.ClearAllPools();
        return lost;
    }
}
