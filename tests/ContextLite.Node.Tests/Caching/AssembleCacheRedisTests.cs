using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Node.Tests.Quotas;

namespace ContextLite.Node.Tests.Caching;

public sealed class AssembleCacheRedisTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Body = """{"query":"alpha bravo","max_tokens":300,"max_documents":3}""";

    [Fact]
    public async Task Assemble_RedisConfigured_StoresTheAnswerInRedisAsSecondLevel()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:cache"] = redis.Server.ConnectionString });
        await QuotaApiTests.IngestAsync(node, "l2");
        await node.WaitForEmbeddingsAsync();

        var first = await AssembleAsync(node);
        var (previous, second) = await SameKeyTwiceAsync(node, first);

        Assert.Equal("miss", (string?)first["cache"]!["status"]);
        Assert.True((string?)second["cache"]!["status"] == "hit", $"after {previous.ToJsonString()}, got {second.ToJsonString()}");
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var stored = await WaitForAsync(() => server.Keys(pattern: "contextlite:assemble:l2:*").Any());
        Assert.True(stored, "the answer should reach the Redis level of the cache");
    }

    [Fact]
    public async Task Assemble_RedisConfiguredButDown_StillAnswersAndHitsInProcess()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = $"127.0.0.1:{RedisServer.FreePort()}",
            ["quotas:connect_timeout_ms"] = "200",
        });
        await QuotaApiTests.IngestAsync(node, "l2");
        await node.WaitForEmbeddingsAsync();

        var first = await AssembleAsync(node);
        var (previous, second) = await SameKeyTwiceAsync(node, first);

        Assert.Equal("miss", (string?)first["cache"]!["status"]);
        Assert.True((string?)second["cache"]!["status"] == "hit", $"after {previous.ToJsonString()}, got {second.ToJsonString()}");
    }

    // Once in a full CI run the second request was a miss. If the workspace moved in between (a late background
    // write moves the key's generation), the key version says so and the next request must hit; with the same key
    // version twice, the second must be a hit whatever happened before.
    private static async Task<(JsonNode Previous, JsonNode Latest)> SameKeyTwiceAsync(NodeHost node, JsonNode first)
    {
        var previous = first;
        var latest = await AssembleAsync(node);
        for (var attempt = 0; attempt < 5 && (string?)latest["cache"]!["key_version"] != (string?)previous["cache"]!["key_version"]; attempt++)
        {
            (previous, latest) = (latest, await AssembleAsync(node));
        }

        Assert.Equal((string?)previous["cache"]!["key_version"], (string?)latest["cache"]!["key_version"]);
        return (previous, latest);
    }

    private static async Task<JsonNode> AssembleAsync(NodeHost node)
    {
        using var response = await node.PostJsonAsync("/api/v1/assemble", Body, "l2");
        var json = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json;
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        // The second level is written after the answer is returned, so give the write a moment (generously: a loaded
        // machine delays it, and waiting costs nothing when it is there).
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
