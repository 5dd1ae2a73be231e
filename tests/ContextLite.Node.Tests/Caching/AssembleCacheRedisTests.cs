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
        var second = await AssembleAsync(node);

        Assert.Equal("miss", (string?)first["cache"]!["status"]);
        Assert.Equal("hit", (string?)second["cache"]!["status"]);
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
        var second = await AssembleAsync(node);

        Assert.Equal("miss", (string?)first["cache"]!["status"]);
        Assert.Equal("hit", (string?)second["cache"]!["status"]);
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
        // The second level is written after the answer is returned, so give the write a moment.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
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
