using System.Net;
using ContextLite.AppHost.Tests.Infrastructure;
using StackExchange.Redis;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>
/// A sticky session (<c>X-Session-ID</c>) is pinned in Redis, where every gateway replica sees it, to the node
/// that served it, with a sliding TTL; its requests stay on that node. With one copy per workspace the pin can
/// only agree with the hash; the gateway tests cover a pin overriding a spreading strategy.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StickySessionTests(ClusterFixture cluster)
{
    private const string Workspace = "sticky-session";

    [Fact]
    public async Task Session_PinnedInRedisWithSlidingTtl_StaysOnItsNode()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var gateway = cluster.Gateway();
        var session = "it-" + Guid.NewGuid().ToString("N");
        var connection = await cluster.App.GetConnectionStringAsync("cache", timeout.Token);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connection!);
        var key = new RedisKey("contextlite:session:" + session);

        string? first;
        using (var ingest = await SendAsync(gateway, session, timeout.Token, ingest: true))
        {
            Assert.Equal(HttpStatusCode.Created, ingest.StatusCode);
            first = ingest.ServedBy();
        }

        Assert.Equal(first, (string?)await redis.GetDatabase().StringGetAsync(key));
        var ttlAfterPin = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.NotNull(ttlAfterPin);

        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        var sinceHitsBegan = System.Diagnostics.Stopwatch.StartNew();
        var servedBy = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await SendAsync(gateway, session, timeout.Token, ingest: false);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            servedBy.Add(response.ServedBy());
        }

        Assert.All(servedBy, node => Assert.Equal(first, node));
        // Each hit restarts the TTL: what is left is at most the time since the hits began short of its full length, so
        // more than the TTL read after the pin, two seconds before they began, would be by then without a restart.
        // (Measured from the hits, not a fixed allowance: a loaded machine can take a second over the last hit.)
        var ttlAfterHits = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        var sinceHits = sinceHitsBegan.Elapsed;
        Assert.NotNull(ttlAfterHits);
        Assert.True(
            ttlAfterHits >= ttlAfterPin - sinceHits - TimeSpan.FromMilliseconds(1),
            $"TTL after the pin {ttlAfterPin}, after ten hits begun two seconds later {ttlAfterHits}, {sinceHits.TotalSeconds:0.0} s after they began");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient gateway, string session, CancellationToken cancellationToken, bool ingest)
    {
        var request = ingest
            ? new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { path = "notes/session.md", content = "A note written in a sticky session." }),
            }
            : new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents?limit=1");
        request.Headers.Add(ContextLiteRequests.WorkspaceHeader, Workspace);
        request.Headers.Add("X-Session-ID", session);
        return gateway.SendAsync(request, cancellationToken);
    }
}
