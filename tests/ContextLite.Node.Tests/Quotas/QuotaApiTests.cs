using System.Globalization;
using System.Net;
using ContextLite.Cluster;
using ContextLite.Node.Quotas;
using ContextLite.Node.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>Quotas as a client sees them, through a real node over HTTP, without Redis.</summary>
/// <remarks>
/// The node's quotas run on a clock that stands still: a bucket does not refill between two requests, so a refusal
/// does not depend on how fast the machine runs them (at 1,000 tokens a minute, the ~90 tokens an assemble keeps were
/// back within about 5 s).
/// </remarks>
public sealed class QuotaApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync(
        new Dictionary<string, string?>
        {
            ["cluster:resource_limits:default:max_tokens_per_minute"] = "1000",
            ["cluster:resource_limits:default:max_documents_per_query"] = "2",
            ["cluster:resource_limits:small:max_storage_mb"] = "1",
        },
        configure: builder => builder.Services.AddSingleton(sp => new QuotaService(
            sp.GetRequiredService<IOptions<QuotaOptions>>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            new FakeTimeProvider(DateTimeOffset.UtcNow),
            sp.GetRequiredService<ILogger<QuotaService>>())));

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Assemble_BucketTooLow_Returns429WithRetryAfterNamingTheLimit()
    {
        await IngestAsync(_node, "empty-bucket");
        using var first = await AssembleAsync("empty-bucket", 1000);
        var used = (int)(await Json.ReadAsync(first))["total_tokens"]!;

        using var second = await AssembleAsync("empty-bucket", 1000);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(used > 0);
        var detail = await Json.AssertProblemAsync(second, 429);
        Assert.Contains("max_tokens_per_minute of 1000", detail, StringComparison.Ordinal);
        Assert.Contains("reserves 1000", detail, StringComparison.Ordinal);
        var retryAfter = int.Parse(second.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        // The shortfall is at most what the first request used, at 60 ms a token.
        Assert.InRange(retryAfter, 1, (int)Math.Ceiling(used * 0.06));
    }

    [Fact]
    public async Task Assemble_UnusedTokensRefunded_FollowingSmallRequestPasses()
    {
        await IngestAsync(_node, "refund");
        using var first = await AssembleAsync("refund", 1000);

        // Without the refund the first request would have emptied the bucket.
        using var second = await AssembleAsync("refund", 200);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((int)(await Json.ReadAsync(first))["total_tokens"]! < 800);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Search_BucketTooLow_Returns429()
    {
        await IngestAsync(_node, "search-cost");

        // k × 50 tokens, not refunded: 20 results cost the whole minute's 1000.
        using var first = await _node.PostJsonAsync("/api/v1/search", """{"query":"alpha","k":20}""", "search-cost");
        using var second = await _node.PostJsonAsync("/api/v1/search", """{"query":"alpha","k":2}""", "search-cost");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var detail = await Json.AssertProblemAsync(second, 429);
        Assert.Contains("max_tokens_per_minute", detail, StringComparison.Ordinal);
        Assert.True(second.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Assemble_MaxDocumentsAboveLimit_ClampedAndReported()
    {
        await IngestAsync(_node, "clamp");

        using var response = await _node.PostJsonAsync("/api/v1/context/assemble", """{"query":"alpha bravo","max_tokens":500,"max_documents":10}""", "clamp");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.True(body["documents"]!.AsArray().Count <= 2);
        var limits = body["limits"]!;
        Assert.Equal(10, (int)limits["max_documents_requested"]!);
        Assert.Equal(2, (int)limits["max_documents_applied"]!);
        Assert.Equal(500, (int)limits["max_tokens_requested"]!);
        Assert.Equal(500, (int)limits["max_tokens_applied"]!);
    }

    [Fact]
    public async Task Assemble_MaxTokensAboveTheMinuteBudget_ClampedToItAndReported()
    {
        await IngestAsync(_node, "token-clamp");

        using var response = await AssembleAsync("token-clamp", 5000);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var limits = (await Json.ReadAsync(response))["limits"]!;
        Assert.Equal(5000, (int)limits["max_tokens_requested"]!);
        Assert.Equal(1000, (int)limits["max_tokens_applied"]!);
    }

    [Fact]
    public async Task Documents_WriteBeyondMaxStorage_Returns507AndWritesNothing()
    {
        using var small = await _node.PostJsonAsync("/api/v1/documents", Json.Serialize(new { id = "a", path = "a.md", content = "small" }), "small");
        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        var big = string.Join('\n', Enumerable.Range(0, 30_000).Select(i => $"line {i} of a document that is too big"));

        using var single = await _node.PostJsonAsync("/api/v1/documents", Json.Serialize(new { id = "big", path = "big.md", content = big }), "small");
        using var bulk = await _node.PostJsonAsync("/api/v1/documents/bulk",
            Json.Serialize(new[] { new { id = "b1", path = "b1.md", content = big[..(big.Length / 2)] }, new { id = "b2", path = "b2.md", content = big } }), "small");

        foreach (var response in new[] { single, bulk })
        {
            var detail = await Json.AssertProblemAsync(response, 507);
            Assert.Contains("max_storage_mb of 1 MB (1048576 bytes)", detail, StringComparison.Ordinal);
            Assert.Contains("bytes on disk plus", detail, StringComparison.Ordinal);
        }

        var list = await Json.ReadAsync(await _node.GetAsync("/api/v1/documents", "small"));
        Assert.Equal(1, (int)list["total"]!);
        using var missing = await _node.GetAsync("/api/v1/documents/big", "small");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Health_RedisConfiguredButDown_ReportsDegradedAndStillServes()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = $"127.0.0.1:{RedisServer.FreePort()}",
            ["quotas:connect_timeout_ms"] = "200",
        }, nodeId: "degraded-node");
        await IngestAsync(node, "w");

        var health = await Json.ReadAsync(await node.GetAsync("/health"));
        using var assemble = await node.PostJsonAsync("/api/v1/assemble", """{"query":"alpha","max_tokens":300}""", "w");

        Assert.Equal("degraded", (string?)health["status"]);
        Assert.Equal(HttpStatusCode.OK, assemble.StatusCode);
    }

    [Fact]
    public async Task Health_NoRedisConfigured_ReportsHealthy()
    {
        var health = await Json.ReadAsync(await _node.GetAsync("/health"));

        Assert.Equal("healthy", (string?)health["status"]);
    }

    internal static async Task IngestAsync(NodeHost node, string workspace)
    {
        var words = new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" };
        var docs = Enumerable.Range(0, 8).Select(i => new
        {
            id = $"doc-{i}",
            path = $"docs/{i}.md",
            content = $"# Note {i}\n\n" + string.Join(' ', Enumerable.Range(0, 40).Select(j => words[(i + j) % words.Length])) + ".",
        }).ToArray();
        using var response = await node.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), workspace);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<HttpResponseMessage> AssembleAsync(string workspace, int maxTokens) =>
        _node.PostJsonAsync("/api/v1/assemble", Json.Serialize(new { query = "alpha bravo charlie", max_tokens = maxTokens, max_documents = 2 }), workspace);
}
