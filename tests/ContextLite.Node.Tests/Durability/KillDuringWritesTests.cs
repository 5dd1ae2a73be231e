using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Tests.Durability;

/// <summary>Acknowledged writes survive <c>kill -9</c> of the node process.</summary>
public sealed class KillDuringWritesTests
{
    [Fact]
    public async Task KillNine_RightAfterAcknowledgedWrites_KeepsEveryDocument()
    {
        using var data = new TempDirectory();
        var acknowledged = new Dictionary<string, string>();

        await using (var node = await NodeProcess.StartAsync(data.Path))
        {
            for (var i = 0; i < 40; i++)
            {
                var content = $"document {i}\n\n" + string.Join(' ', Enumerable.Repeat($"word{i}", 50));
                var id = $"doc-{i}";
                using var response = await PostAsync(node.Client, "crash", $$"""{"id":"{{id}}","path":"f{{i}}.txt","content":"{{content.Replace("\n", "\\n", StringComparison.Ordinal)}}"}""");
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                acknowledged[id] = content;
            }

            node.KillHard();
        }

        await AssertAllPresentAsync(data.Path, "crash", acknowledged);
    }

    [Fact]
    public async Task KillNine_DuringConcurrentBulkIngest_RepeatedlyLosesNoAcknowledgedBatch()
    {
        using var data = new TempDirectory();
        var acknowledged = new Dictionary<string, string>();
        var random = new Random(20261127);

        for (var round = 0; round < 3; round++)
        {
            await using var node = await NodeProcess.StartAsync(data.Path);
            using var stop = new CancellationTokenSource();
            var before = Acknowledged.Count(acknowledged);
            var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                var batch = 0;
                while (!stop.IsCancellationRequested)
                {
                    var docs = Enumerable.Range(0, 20).Select(k =>
                    {
                        var id = $"r{round}-w{w}-b{batch}-{k}";
                        return (Id: id, Content: $"round {round} writer {w} batch {batch} item {k} " + new string('x', k * 37));
                    }).ToList();
                    var body = new JsonArray(docs.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["path"] = d.Id + ".txt", ["content"] = d.Content }).ToArray());
                    try
                    {
                        using var response = await PostAsync(node.Client, "crash", body.ToJsonString(), "/api/v1/documents/bulk");
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                            Assert.Equal(20, (int)result["added"]!);
                            lock (acknowledged)
                            {
                                foreach (var (id, content) in docs)
                                {
                                    acknowledged[id] = content;
                                }
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // The node was killed under this request: not acknowledged, so not expected.
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }

                    batch++;
                }
            })).ToList();

            // A random moment of the ingest, once this round has had a batch acknowledged (see CrashLoopTests).
            await Task.Delay(random.Next(300, 1200));
            await Acknowledged.WaitForMoreThanAsync(acknowledged, before);
            node.KillHard();
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= 20, "the test should have acknowledged some writes before killing the node");
        await AssertAllPresentAsync(data.Path, "crash", acknowledged);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string workspace, string json, string path = "/api/v1/documents")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Workspace-ID", workspace);
        return client.SendAsync(request);
    }

    private static async Task AssertAllPresentAsync(string dataDirectory, string workspace, Dictionary<string, string> acknowledged)
    {
        // Restart the node on the same data: everything acknowledged must be served again.
        await using (var node = await NodeProcess.StartAsync(dataDirectory))
        {
            foreach (var (id, content) in acknowledged)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents/" + id);
                request.Headers.Add("X-Workspace-ID", workspace);
                using var response = await node.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged document {id} is missing after kill -9");
                var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(content, (string?)doc["content"]);
            }
        }

        // And the files need no repair: SQLite, the lexical index and the chunks all agree.
        using var catalog = new WorkspaceCatalog(
            Options.Create(new StorageOptions { DataDirectory = dataDirectory }),
            Options.Create(new ChunkingOptions()),
            TiktokenCounter.Cl100k,
            TimeProvider.System);
        var store = catalog.TryOpen(WorkspaceId.Parse(workspace))!;
        Assert.Empty(await store.VerifyAsync());
    }
}
