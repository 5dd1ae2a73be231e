using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using ContextLite.Cluster;
using ContextLite.Gateway.Sessions;
using ContextLite.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Gateway.Tests.Sessions;

/// <summary>
/// Sticky sessions through a real gateway over three real nodes, with replication factor 2 so a workspace has
/// two eligible nodes and a pin can choose between them; sessions in the gateway's in-process store.
/// </summary>
public sealed class StickySessionTests : IAsyncLifetime
{
    private const string Workspace = "sticky-ws";
    private readonly TestCluster _cluster = new()
    {
        GatewaySettings = new Dictionary<string, string?> { ["gateway:replication_factor"] = "2" },
    };

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private IReadOnlyList<string> Placement => new NodeSelector(new ClusterOptions(), 2).Placement(Workspace, _cluster.Ring);

    private StickySessions Sessions => _cluster.Gateway.App.Services.GetRequiredService<StickySessions>();

    [Fact]
    public async Task Proxy_SessionHeader_StaysOnTheNodeThatFirstServedIt()
    {
        using var first = await SendAsync(session: "conversation-1");
        var node = TestCluster.NodeOf(first);

        var later = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await SendAsync(session: "conversation-1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            later.Add(TestCluster.NodeOf(response));
        }

        Assert.Equal(Placement[0], node);
        Assert.All(later, n => Assert.Equal(node, n));
        Assert.Equal("memory", Sessions.StoreName);
        Assert.Equal(node, await Sessions.Local.TouchAsync("conversation-1", Sessions.Ttl, default));
    }

    [Fact]
    public async Task Proxy_SessionPinnedToTheOtherReplica_IsServedThereAndCountsStickyHits()
    {
        var replica = Placement[1];
        await Sessions.PinAsync("pinned", replica, default);
        var hits = 0L;
        using var listener = ListenToStickyHits(v => Interlocked.Add(ref hits, v));

        var nodes = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SendAsync(session: "pinned");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            nodes.Add(TestCluster.NodeOf(response));
        }

        using var unpinned = await SendAsync(session: null);
        using var scrape = await _cluster.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var metrics = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync());

        Assert.All(nodes, n => Assert.Equal(replica, n));
        Assert.Equal(Placement[0], TestCluster.NodeOf(unpinned));
        Assert.Equal(5, Interlocked.Read(ref hits));
        Assert.Equal(5, metrics.Sum("contextlite_gateway_sticky_hits_total", ("node", replica), ("workspace", Workspace)));
        Assert.Equal(5, metrics.Sum("contextlite_gateway_routed_total", ("node", replica), ("workspace", Workspace)));
        Assert.Equal(1, metrics.Sum("contextlite_gateway_routed_total", ("node", Placement[0]), ("workspace", Workspace)));
    }

    [Fact]
    public async Task Proxy_SessionCookie_IsStickyLikeTheHeader()
    {
        var replica = Placement[1];
        await Sessions.PinAsync("from-cookie", replica, default);

        using var request = TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", Workspace);
        request.Headers.Add("Cookie", "contextlite-session=from-cookie");
        using var response = await _cluster.Client.SendAsync(request);

        Assert.Equal(replica, TestCluster.NodeOf(response));
    }

    [Fact]
    public async Task Proxy_SessionPinnedToANodeThatDoesNotHoldTheWorkspace_IsIgnoredAndRepinned()
    {
        var outsider = Placement[2];
        await Sessions.PinAsync("moved", outsider, default);

        using var response = await SendAsync(session: "moved");

        Assert.Equal(Placement[0], TestCluster.NodeOf(response));
        Assert.Equal(Placement[0], await Sessions.Local.TouchAsync("moved", Sessions.Ttl, default));
    }

    [Fact]
    public async Task Proxy_PinnedNodeStopped_IsNotUsedAndTheSessionMovesToAHealthyReplica()
    {
        var replica = Placement[1];
        await Sessions.PinAsync("survivor", replica, default);
        using (var before = await SendAsync(session: "survivor"))
        {
            Assert.Equal(replica, TestCluster.NodeOf(before));
        }

        await _cluster.Node(replica).StopAsync();
        var clock = Stopwatch.StartNew();
        string? served = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await SendAsync(session: "survivor");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                served = TestCluster.NodeOf(response);
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(Placement[0], served);
        Assert.Equal(Placement[0], await Sessions.Local.TouchAsync("survivor", Sessions.Ttl, default));
    }

    private Task<HttpResponseMessage> SendAsync(string? session)
    {
        var request = TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", Workspace);
        if (session is not null)
        {
            request.Headers.Add(StickySessions.HeaderName, session);
        }

        return _cluster.Client.SendAsync(request);
    }

    // Only this gateway's meter: other test classes run gateways in parallel in this process.
    private MeterListener ListenToStickyHits(Action<long> onHit)
    {
        var factory = _cluster.Gateway.App.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "contextlite.gateway.sticky_hits" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => onHit(value));
        listener.Start();
        return listener;
    }
}
