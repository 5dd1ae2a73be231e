using System.Collections.Concurrent;
using System.Net;
using ContextLite.Node.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>
/// A node under steady traffic loses its real redis-server: <c>/health</c> says degraded, every request is still
/// answered below 500 with quotas enforced locally, and the node reports healthy again once Redis is back.
/// </summary>
/// <remarks>The quota service alone is covered by <see cref="QuotaServiceRedisTests"/>; this is the same outage over HTTP.</remarks>
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = _redis.ConnectionString,
            ["quotas:connect_timeout_ms"] = "500",
            ["quotas:operation_timeout_ms"] = "300",
            ["quotas:reconnect_interval_ms"] = "200",
            ["cluster:resource_limits:default:max_tokens_per_minute"] = "20000",
        }, nodeId: "outage-node");
        await QuotaApiTests.IngestAsync(_node, "live");
        await QuotaApiTests.IngestAsync(_node, "local");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _redis.Dispose();
    }

    [Fact]
    public async Task RedisStoppedMidTraffic_DegradedNoServerErrorsLocalLimitsThenHealthy()
    {
        var statuses = new ConcurrentDictionary<(string Phase, int Status), int>();
        var phase = "before";
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var current = phase;
                using var response = (i % 3) switch
                {
                    0 => await _node.PostJsonAsync("/api/v1/assemble", """{"query":"alpha bravo","max_tokens":300}""", "live"),
                    1 => await _node.PostJsonAsync("/api/v1/search", """{"query":"charlie","k":3}""", "live"),
                    _ => await _node.PostJsonAsync("/api/v1/documents", $$"""{"path":"t{{i}}.md","content":"traffic {{i}} delta echo"}""", "live"),
                };
                statuses.AddOrUpdate((current, (int)response.StatusCode), 1, (_, n) => n + 1);
            }
        });

        Assert.Equal("healthy", await WaitForStatusAsync("healthy"));
        await Task.Delay(300);

        phase = "outage";
        _redis.Kill();
        Assert.Equal("degraded", await WaitForStatusAsync("degraded"));
        await Task.Delay(500);

        // Local limits: a workspace's whole minute of tokens is granted once, and the next ask is refused with 429.
        using var first = await _node.PostJsonAsync("/api/v1/assemble", """{"query":"alpha","max_tokens":20000}""", "local");
        using var second = await _node.PostJsonAsync("/api/v1/assemble", """{"query":"alpha","max_tokens":20000}""", "local");

        phase = "after";
        await _redis.StartAgainAsync();
        Assert.Equal("healthy", await WaitForStatusAsync("healthy"));
        await Task.Delay(300);
        stop.Cancel();
        await traffic;

        Assert.DoesNotContain(statuses.Keys, k => k.Status >= 500);
        foreach (var name in new[] { "before", "outage", "after" })
        {
            Assert.True(statuses.Keys.Any(k => k.Phase == name && k.Status is 200 or 201), $"no request succeeded in phase '{name}': {string.Join(", ", statuses)}");
        }

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        using var alive = await _node.Client.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key.Phase} {s.Key.Status}×{s.Value}")));
    }

    private async Task<string> WaitForStatusAsync(string expected)
    {
        string? status = null;
        for (var attempt = 0; attempt < 200 && status != expected; attempt++)
        {
            var health = await Json.ReadAsync(await _node.GetAsync("/health"));
            status = (string?)health["status"];
            if (status != expected)
            {
                await Task.Delay(100);
            }
        }

        return status!;
    }
}
