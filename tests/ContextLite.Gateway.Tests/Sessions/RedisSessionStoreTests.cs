using ContextLite.Gateway.Sessions;
using StackExchange.Redis;

namespace ContextLite.Gateway.Tests.Sessions;

public sealed class RedisSessionStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(30);
    private RedisServer _server = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task PinAsync_WritesTheNodeUnderTheSessionKeyWithTheTtl()
    {
        var store = new RedisSessionStore(_redis.GetDatabase(), "contextlite:");

        await store.PinAsync("abc", "node-3", s_ttl, default);

        var database = _redis.GetDatabase();
        Assert.Equal("node-3", (string?)await database.StringGetAsync("contextlite:session:abc"));
        var ttl = await database.KeyTimeToLiveAsync("contextlite:session:abc");
        Assert.InRange(ttl!.Value, s_ttl - TimeSpan.FromSeconds(5), s_ttl);
    }

    [Fact]
    public async Task TouchAsync_Hit_RestartsTheKeysTtl()
    {
        var store = new RedisSessionStore(_redis.GetDatabase(), "contextlite:");
        await store.PinAsync("slide", "node-1", s_ttl, default);
        var database = _redis.GetDatabase();
        // As if most of the TTL had passed since the last request.
        await database.KeyExpireAsync("contextlite:session:slide", TimeSpan.FromSeconds(5));

        var node = await store.TouchAsync("slide", s_ttl, default);

        Assert.Equal("node-1", node);
        var ttl = await database.KeyTimeToLiveAsync("contextlite:session:slide");
        Assert.True(ttl > TimeSpan.FromMinutes(29), $"TTL after a hit was {ttl}.");
    }

    [Fact]
    public async Task TouchAsync_ExpiredKey_ReturnsNull()
    {
        var store = new RedisSessionStore(_redis.GetDatabase(), "contextlite:");
        await store.PinAsync("gone", "node-1", TimeSpan.FromMilliseconds(50), default);
        await Task.Delay(200);

        Assert.Null(await store.TouchAsync("gone", s_ttl, default));
    }
}
