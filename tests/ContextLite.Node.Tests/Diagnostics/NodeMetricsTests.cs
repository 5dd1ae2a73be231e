using System.Net;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Node.Tests.Quotas;

namespace ContextLite.Node.Tests.Diagnostics;

/// <summary><c>/metrics</c> read as Prometheus reads it, compared with the traffic each test sent.</summary>
public sealed class NodeMetricsTests
{
    private const string Assemble = "/api/v1/assemble";

    [Fact]
    public async Task Metrics_AfterTrafficToTwoWorkspaces_ShowsPerWorkspaceRequestsDurationAndTokens()
    {
        await using var node = await NodeHost.StartAsync();
        await QuotaApiTests.IngestAsync(node, "alpha");
        await QuotaApiTests.IngestAsync(node, "beta");
        var tokens = new Dictionary<string, long> { ["alpha"] = 0, ["beta"] = 0 };
        var sent = new Dictionary<string, int> { ["alpha"] = 3, ["beta"] = 2 };
        foreach (var (workspace, count) in sent)
        {
            for (var i = 0; i < count; i++)
            {
                // Different budgets, so that every answer is computed (no cache hit) and token counts differ.
                using var response = await node.PostJsonAsync(Assemble, Json.Serialize(new { query = "alpha bravo", max_tokens = 100 + (i * 50) }), workspace);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                tokens[workspace] += (long)(await Json.ReadAsync(response))["total_tokens"]!;
            }
        }

        using var missing = await node.PostJsonAsync(Assemble, Json.Serialize(new { query = "alpha" }), "nowhere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var metrics = await ScrapeAsync(node);

        foreach (var (workspace, count) in sent)
        {
            var ok = new[] { ("workspace", workspace), ("route", Assemble), ("status_code", "200") };
            Assert.Equal(count, metrics.Sum("contextlite_requests_total", ok));
            Assert.Equal(count, metrics.Sum("contextlite_request_duration_seconds_count", ok));
            Assert.True(metrics.Sum("contextlite_request_duration_seconds_sum", ok) > 0);
            Assert.Equal(count, metrics.Sum("contextlite_request_duration_seconds_bucket", [.. ok, ("le", "+Inf")]));
            Assert.Equal(tokens[workspace], metrics.Sum("contextlite_tokens_assembled_total", ("workspace", workspace)));
            Assert.True(tokens[workspace] > 0);
            Assert.Equal(count, metrics.Sum("contextlite_queries_total", ("workspace", workspace), ("kind", "assemble")));
            Assert.Equal(count, metrics.Sum("contextlite_cache_misses_total", ("workspace", workspace)));
            Assert.Equal(count, metrics.Sum("contextlite_solver_runs_total", ("workspace", workspace)));
            Assert.Equal(count, metrics.Sum("contextlite_routes_total", ("workspace", workspace)));
            Assert.Equal(1, metrics.Sum("contextlite_requests_total", ("workspace", workspace), ("route", "/api/v1/documents/bulk")));
            Assert.Equal(8, metrics.Sum("contextlite_documents", ("workspace", workspace)));
            Assert.True(metrics.Sum("contextlite_storage_size_bytes", ("workspace", workspace)) > 0);
        }

        Assert.Equal(1, metrics.Sum("contextlite_requests_total", ("workspace", "nowhere"), ("route", Assemble), ("status_code", "404")));
        Assert.Equal(0, metrics.Sum("contextlite_requests_active"));
        Assert.Equal("counter", metrics.Types["contextlite_requests_total"]);
        Assert.Equal("histogram", metrics.Types["contextlite_request_duration_seconds"]);
        Assert.Equal("gauge", metrics.Types["contextlite_documents"]);
    }

    [Fact]
    public async Task Metrics_CachedAnswer_CountsAHitAndItsTokens()
    {
        await using var node = await NodeHost.StartAsync();
        await QuotaApiTests.IngestAsync(node, "cached");
        // Background embedding moves the workspace's version (and so the cache key) until it has caught up.
        await node.WaitForEmbeddingsAsync();
        var body = Json.Serialize(new { query = "alpha bravo", max_tokens = 300 });
        using var first = await node.PostJsonAsync(Assemble, body, "cached");
        using var second = await node.PostJsonAsync(Assemble, body, "cached");
        var secondBody = await Json.ReadAsync(second);
        Assert.Equal("hit", (string?)secondBody["cache"]!["status"]);

        var metrics = await ScrapeAsync(node);

        Assert.Equal(1, metrics.Sum("contextlite_cache_hits_total", ("workspace", "cached")));
        Assert.Equal(1, metrics.Sum("contextlite_cache_misses_total", ("workspace", "cached")));
        // The solver ran once: the hit was served without it.
        Assert.Equal(1, metrics.Sum("contextlite_solver_runs_total", ("workspace", "cached")));
        Assert.Equal(2 * (long)secondBody["total_tokens"]!, metrics.Sum("contextlite_tokens_assembled_total", ("workspace", "cached")));
    }

    [Fact]
    public async Task Metrics_MoreWorkspacesThanTheCap_ExtraWorkspacesRecordedAsOther()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?> { ["telemetry:max_workspace_tags"] = "2" });
        foreach (var workspace in new[] { "w1", "w2", "w3", "w4" })
        {
            using var response = await node.PostJsonAsync("/api/v1/documents", Json.Serialize(new { path = "a.md", content = "alpha bravo" }), workspace);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var metrics = await ScrapeAsync(node);

        var written = metrics.Find("contextlite_requests_total", ("route", "/api/v1/documents")).ToList();
        Assert.Equal(["other", "w1", "w2"], written.Select(s => s.Labels["workspace"]).Order(StringComparer.Ordinal));
        Assert.Equal(2, metrics.Sum("contextlite_requests_total", ("workspace", "other"), ("route", "/api/v1/documents")));
        Assert.Equal(2, metrics.Sum("contextlite_documents_written_total", ("workspace", "other")));
        Assert.Equal(2, metrics.Sum("contextlite_documents", ("workspace", "other")));
        Assert.Empty(metrics.Find("contextlite_documents", ("workspace", "w3")));
    }

    [Fact]
    public async Task Metrics_QuotaRefusals_CountedByLimit()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["cluster:resource_limits:default:max_tokens_per_minute"] = "1000",
            ["cluster:resource_limits:small:max_storage_mb"] = "1",
        });
        await QuotaApiTests.IngestAsync(node, "limited");
        var query = Json.Serialize(new { query = "alpha bravo charlie", max_tokens = 1000 });
        using var first = await node.PostJsonAsync(Assemble, query, "limited");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var refused = await node.PostJsonAsync(Assemble, query, "limited");
        using var refusedAgain = await node.PostJsonAsync(Assemble, query, "limited");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedAgain.StatusCode);
        var big = new string('x', 2 * 1024 * 1024);
        using var full = await node.PostJsonAsync("/api/v1/documents", Json.Serialize(new { path = "big.md", content = big }), "small");
        Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);

        var metrics = await ScrapeAsync(node);

        Assert.Equal(2, metrics.Sum("contextlite_quota_refusals_total", ("workspace", "limited"), ("limit", "max_tokens_per_minute")));
        Assert.Equal(1, metrics.Sum("contextlite_quota_refusals_total", ("workspace", "small"), ("limit", "max_storage_mb")));
        Assert.Equal(2, metrics.Sum("contextlite_requests_total", ("workspace", "limited"), ("status_code", "429")));
        Assert.Equal(3, metrics.Sum("contextlite_quota_refusals_total"));
    }

    [Fact]
    public async Task Metrics_WorkspaceDeleted_ItsGaugesDisappearAtTheNextScrape()
    {
        await using var node = await NodeHost.StartAsync();
        await QuotaApiTests.IngestAsync(node, "kept");
        await QuotaApiTests.IngestAsync(node, "doomed");
        var before = await ScrapeAsync(node);

        using var delete = await node.Client.DeleteAsync(new Uri("/api/v1/workspaces/doomed", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var after = await ScrapeAsync(node);

        Assert.Equal(8, before.Sum("contextlite_documents", ("workspace", "doomed")));
        Assert.Empty(after.Find("contextlite_documents", ("workspace", "doomed")));
        Assert.Empty(after.Find("contextlite_storage_size_bytes", ("workspace", "doomed")));
        Assert.Equal(8, after.Sum("contextlite_documents", ("workspace", "kept")));
        // Counters keep their history: the requests the workspace received are still counted.
        Assert.Equal(1, after.Sum("contextlite_requests_total", ("workspace", "doomed"), ("route", "/api/v1/documents/bulk")));
    }

    [Fact]
    public async Task Metrics_Probes_AreNotCountedAsRequests()
    {
        await using var node = await NodeHost.StartAsync();
        (await node.GetAsync("/health")).Dispose();
        (await node.GetAsync("/alive")).Dispose();
        await ScrapeAsync(node);

        var metrics = await ScrapeAsync(node);

        Assert.Empty(metrics.Find("contextlite_requests_total"));
        Assert.Contains(metrics.Samples, s => s.Name == "contextlite_embedding_queue_length");
    }

    internal static async Task<PrometheusText> ScrapeAsync(NodeHost node)
    {
        using var response = await node.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
