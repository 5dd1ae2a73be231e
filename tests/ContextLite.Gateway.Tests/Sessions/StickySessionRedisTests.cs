using System.Net;
using System.Text.Json;
using ContextLite.Cluster;
using ContextLite.Gateway.Sessions;
using ContextLite.Gateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace ContextLite.Gateway.Tests.Sessions;

/// <summary>Sticky sessions and the leader key in a real redis-server, and the gateway without its Redis.</summary>
public sealed class StickySessionRedisTests : IAsyncLifetime
{
    private const string Workspace = "sticky-redis";
    private RedisServer _server = null!;
    private ConnectionMultiplexer _redis = null!;
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
        _cluster = new TestCluster
        {
            GatewaySettings = new Dictionary<string, string?>
            {
                ["gateway:replication_factor"] = "2",
                ["ConnectionStrings:cache"] = _server.ConnectionString,
            },
        };
        await _cluster.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _redis.DisposeAsync();
        _server.Dispose();
    }

    private IReadOnlyList<string> Placement => new NodeSelector(new ClusterOptions(), 2).Placement(Workspace, _cluster.Ring);

    [Fact]
    public async Task Proxy_WithRedis_PinsTheSessionInRedisWithTheConfiguredTtl()
    {
        using var response = await SendAsync("redis-session");

        var database = _redis.GetDatabase();
        Assert.Equal(TestCluster.NodeOf(response), (string?)await database.StringGetAsync("contextlite:session:redis-session"));
        var ttl = await database.KeyTimeToLiveAsync("contextlite:session:redis-session");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task Proxy_WithRedis_HonoursAPinWrittenByAnotherGatewayAndSlidesItsTtl()
    {
        var database = _redis.GetDatabase();
        await database.StringSetAsync("contextlite:session:shared", Placement[1], TimeSpan.FromSeconds(10));

        using var response = await SendAsync("shared");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Placement[1], TestCluster.NodeOf(response));
        var ttl = await database.KeyTimeToLiveAsync("contextlite:session:shared");
        Assert.True(ttl > TimeSpan.FromMinutes(29), $"TTL after a hit was {ttl}.");
    }

    [Fact]
    public async Task Health_WithRedis_ReportsTheLeaderKeyAndTheRedisStore()
    {
        await _redis.GetDatabase().StringSetAsync("contextlite:leader", "node-2");

        using var json = await HealthAsync(_cluster);

        Assert.Equal("healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("node-2", json.RootElement.GetProperty("leader_node").GetString());
        Assert.Equal("redis", json.RootElement.GetProperty("sessions").GetProperty("store").GetString());
    }

    [Fact]
    public async Task Health_RedisConfiguredButDown_IsDegradedAndSessionsStillStickInMemory()
    {
        await using var cluster = new TestClusterScope(new TestCluster
        {
            GatewaySettings = new Dictionary<string, string?>
            {
                ["gateway:replication_factor"] = "2",
                ["gateway:redis"] = $"127.0.0.1:{RedisServer.FreePort()}",
            },
        });
        await cluster.Cluster.InitializeAsync();

        using var json = await HealthAsync(cluster.Cluster);
        using var first = await cluster.Cluster.Client.SendAsync(Request("offline"));
        using var second = await cluster.Cluster.Client.SendAsync(Request("offline"));

        Assert.Equal("degraded", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("healthy_nodes").GetInt32());
        Assert.Equal("memory", json.RootElement.GetProperty("sessions").GetProperty("store").GetString());
        Assert.True(json.RootElement.GetProperty("sessions").GetProperty("redis_degraded").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(TestCluster.NodeOf(first), TestCluster.NodeOf(second));
    }

    private Task<HttpResponseMessage> SendAsync(string session) => _cluster.Client.SendAsync(Request(session));

    private static HttpRequestMessage Request(string session)
    {
        var request = TestCluster.Request(HttpMethod.Get, "/api/v1/documents?limit=1", Workspace);
        request.Headers.Add(StickySessions.HeaderName, session);
        return request;
    }

    private static async Task<JsonDocument> HealthAsync(TestCluster cluster)
    {
        using var response = await cluster.Client.GetAsync(new Uri("/health", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private sealed class TestClusterScope(TestCluster cluster) : IAsyncDisposable
    {
        public TestCluster Cluster { get; } = cluster;

        public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
    }
}
