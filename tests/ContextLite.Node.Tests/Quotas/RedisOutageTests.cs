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
    private const string LocalLimitWorkspace = "local";
    private RedisServer _redis = null!;
    private readonly ConcurrentDictionary<(string Phase, int Status), int> _statuses = new();
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
            // The workspace that shows the local limit refills slowly: the second ask must come before the first's
            // tokens are back (at 20,000 a minute that was about a second, at 1,000 it is over 20 s).
            [$"cluster:resource_limits:{LocalLimitWorkspace}:max_tokens_per_minute"] = "1000",
        }, nodeId: "outage-node");
        await QuotaApiTests.IngestAsync(_node, "live");
        await QuotaApiTests.IngestAsync(_node, LocalLimitWorkspace);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _redis.Dispose();
    }

    [Fact]
    public async Task RedisStoppedMidTraffic_DegradedNoServerErrorsLocalLimitsThenHealthy()
    {
        var statuses = _statuses;
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

        // Each phase lasts until traffic has been served in it (not a fixed time: on a loaded machine one request
        // can take longer than the phase did).
        Assert.Equal("healthy", await WaitForStatusAsync("healthy"));
        await WaitForSuccessInAsync("before");

        phase = "outage";
        _redis.Kill();
        Assert.Equal("degraded", await WaitForStatusAsync("degraded"));
        await WaitForSuccessInAsync("outage");

        // Local limits: a workspace's whole minute of tokens is granted once, and the next ask is refused with 429.
        using var first = await _node.PostJsonAsync("/api/v1/assemble", """{"query":"alpha","max_tokens":1000}""", LocalLimitWorkspace);
        using var second = await _node.PostJsonAsync("/api/v1/assemble", """{"query":"alpha","max_tokens":1000}""", LocalLimitWorkspace);

        phase = "after";
        await _redis.StartAgainAsync();
        Assert.Equal("healthy", await WaitForStatusAsync("healthy"));
        await WaitForSuccessInAsync("after");
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
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (status != expected && DateTime.UtcNow < deadline)
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

    /// <summary>Waits (up to a minute) until a request that started in <paramref name="phase"/> has succeeded.</summary>
    /// <remarks>Gives up quietly: the assertions after the traffic stops say which phase had none.</remarks>
    private async Task WaitForSuccessInAsync(string phase)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!_statuses.Keys.Any(k => k.Phase == phase && k.Status is 200 or 201) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
