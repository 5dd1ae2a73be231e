using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>
/// <c>max_memory_mb</c> bounds a workspace's vector index (writes that would outgrow it are refused) and its share
/// of the in-process assemble cache (old answers are evicted to stay within it).
/// </summary>
public sealed class MemoryBudgetTests
{
    private const string Tight = "tight";
    private const string Roomy = "roomy";

    // Hashing vectors of 384 dims cost about 1.6 KB a row, so a 1 MB budget holds some 600 one-chunk documents.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        [$"cluster:resource_limits:{Tight}:max_memory_mb"] = "1",
        ["cluster:resource_limits:default:max_memory_mb"] = "512",
    };

    [Fact]
    public async Task Ingest_WouldOutgrowTheIndexBudget_Is507AndWritesNothing()
    {
        await using var node = await NodeHost.StartAsync(Settings);
        await IngestAsync(node, Tight, 0, 400, HttpStatusCode.OK);
        await node.WaitForEmbeddingsAsync();

        using var refused = await node.PostJsonAsync("/api/v1/documents/bulk", Documents(400, 400).ToJsonString(), Tight);
        var problem = await Json.ReadAsync(refused);

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("max_memory_mb", (string?)problem["limit"]);
        Assert.True((long)problem["index_bytes"]! > 0, problem.ToJsonString());
        Assert.Contains("max_memory_mb", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(400, await DocumentCountAsync(node, Tight));

        // The same write fits a workspace under the default budget.
        await IngestAsync(node, Roomy, 0, 800, HttpStatusCode.OK);
        Assert.Equal(800, await DocumentCountAsync(node, Roomy));
    }

    [Fact]
    public async Task Assemble_CacheOutgrowsWhatTheIndexLeaves_EvictsOldestAnswersAndStaysWithinBudget()
    {
        await using var node = await NodeHost.StartAsync(Settings);
        await IngestAsync(node, Tight, 0, 500, HttpStatusCode.OK);
        await node.WaitForEmbeddingsAsync();

        var limited = 0;
        for (var i = 0; i < 60; i++)
        {
            var answer = await AssembleAsync(node, Tight, Query(i));
            Assert.Equal("miss", (string?)answer["cache"]!["status"]);
            limited += answer["cache"]!["memory_limited"] is { } flag && (bool)flag ? 1 : 0;
        }

        Assert.True(limited > 0, "sixty answers of ~10 KB never met the ~200 KB the index leaves of 1 MB");
        // The newest answer is still cached; the oldest was evicted to make room.
        Assert.Equal("hit", (string?)(await AssembleAsync(node, Tight, Query(59)))["cache"]!["status"]);
        Assert.Equal("miss", (string?)(await AssembleAsync(node, Tight, Query(0)))["cache"]!["status"]);

        var health = await node.GetJsonAsync<JsonNode>("/health", Tight);
        var memory = (double)health["workspaces"]!["workspaces"]![Tight]!["memory_mb"]!;
        Assert.InRange(memory, 0.5, 1.0);

        // The memory gauge reports the same budgeted bytes (index + cache) as /health.
        using var metrics = await node.GetAsync("/metrics");
        var line = (await metrics.Content.ReadAsStringAsync()).Split('\n')
            .Single(l => l.StartsWith("contextlite_memory_size_bytes{", StringComparison.Ordinal) && l.Contains($"workspace=\"{Tight}\"", StringComparison.Ordinal));
        var gauge = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) / (1024.0 * 1024.0);
        Assert.InRange(gauge, memory - 0.001, memory + 0.001);
    }

    [Fact]
    public async Task Assemble_AmpleBudget_KeepsEveryAnswer()
    {
        await using var node = await NodeHost.StartAsync(Settings);
        await IngestAsync(node, Roomy, 0, 500, HttpStatusCode.OK);
        await node.WaitForEmbeddingsAsync();

        for (var i = 0; i < 60; i++)
        {
            var answer = await AssembleAsync(node, Roomy, Query(i));
            Assert.Null(answer["cache"]!["memory_limited"]);
        }

        Assert.Equal("hit", (string?)(await AssembleAsync(node, Roomy, Query(0)))["cache"]!["status"]);
    }

    private static string Query(int i) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"query":"module {{i}} handles requests and caching {{i % 7}}","max_tokens":4000,"max_documents":30}""");

    private static JsonArray Documents(int first, int count) => new(Enumerable.Range(first, count).Select(i => (JsonNode)new JsonObject
    {
        ["path"] = $"src/module{i}.md",
        ["content"] = string.Create(CultureInfo.InvariantCulture,
            $"Module {i} handles requests and caching for part {i % 7}; it logs errors and retries twice with backoff before giving up. "
            + $"Requests to module {i} pass through the cache first, and a miss in part {i % 7} falls back to the store. "
            + $"Errors in module {i} are logged with the request id; caching of part {i % 11} expires after five minutes. "
            + $"Module {i} also handles retries of failed requests with exponential backoff and jitter for part {i % 5}."),
    }).ToArray());

    private static async Task IngestAsync(NodeHost node, string workspace, int first, int count, HttpStatusCode expected)
    {
        using var response = await node.PostJsonAsync("/api/v1/documents/bulk", Documents(first, count).ToJsonString(), workspace);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<int> DocumentCountAsync(NodeHost node, string workspace) =>
        (int)(await node.GetJsonAsync<JsonNode>($"/api/v1/workspaces/{workspace}"))["documents"]!;

    private static async Task<JsonNode> AssembleAsync(NodeHost node, string workspace, string body)
    {
        using var response = await node.PostJsonAsync("/api/v1/assemble", body, workspace);
        var json = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json;
    }
}
