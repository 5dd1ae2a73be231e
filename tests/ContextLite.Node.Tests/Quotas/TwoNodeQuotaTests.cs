using System.Net;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>Two in-process nodes configured with one Redis (the Aspire <c>cache</c> connection string).</summary>
public sealed class TwoNodeQuotaTests : IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;

    public TwoNodeQuotaTests(RedisFixture redis) => _redis = redis;

    [Fact]
    public async Task Assemble_TwoNodesOneRedis_ShareOneTokenBucketPerWorkspace()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = _redis.Server.ConnectionString,
            ["cluster:resource_limits:default:max_tokens_per_minute"] = "1000",
        };
        await using var nodeA = await NodeHost.StartAsync(settings, nodeId: "node-a");
        await using var nodeB = await NodeHost.StartAsync(settings, nodeId: "node-b");
        await QuotaApiTests.IngestAsync(nodeA, "shared");
        await QuotaApiTests.IngestAsync(nodeB, "shared");
        await QuotaApiTests.IngestAsync(nodeB, "other");
        // Up to all eight documents (~360 tokens): node-a's request keeps what it used, node-b then asks for 1,000, and
        // the bucket refills 1,000 a minute by Redis' clock, so node-b is refused unless that much has come back
        // meanwhile (over 20 s; with two documents, about 5 s).
        const string Request = """{"query":"alpha bravo charlie","max_tokens":1000,"max_documents":8}""";

        using var onA = await nodeA.PostJsonAsync("/api/v1/assemble", Request, "shared");
        using var onB = await nodeB.PostJsonAsync("/api/v1/assemble", Request, "shared");
        using var otherOnB = await nodeB.PostJsonAsync("/api/v1/assemble", Request, "other");

        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        var detail = await Json.AssertProblemAsync(onB, 429);
        Assert.Contains("max_tokens_per_minute of 1000", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherOnB.StatusCode);
        Assert.Equal("healthy", (string?)(await Json.ReadAsync(await nodeB.GetAsync("/health")))["status"]);
    }
}
