using ContextLite.Gateway.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Gateway.Tests.Sessions;

public sealed class MemorySessionStoreTests
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TouchAsync_UnknownSession_ReturnsNull()
    {
        var store = new MemorySessionStore(_time, 10);

        Assert.Null(await store.TouchAsync("s", s_ttl, default));
    }

    [Fact]
    public async Task TouchAsync_EachHitWithinTtl_SlidesTheExpiry()
    {
        var store = new MemorySessionStore(_time, 10);
        await store.PinAsync("s", "node-2", s_ttl, default);

        _time.Advance(TimeSpan.FromMinutes(20));
        var first = await store.TouchAsync("s", s_ttl, default);
        _time.Advance(TimeSpan.FromMinutes(20));
        var second = await store.TouchAsync("s", s_ttl, default);

        // 40 minutes after the pin, but never 30 without a hit.
        Assert.Equal("node-2", first);
        Assert.Equal("node-2", second);
    }

    [Fact]
    public async Task TouchAsync_AfterTtlWithoutHits_ForgetsTheSession()
    {
        var store = new MemorySessionStore(_time, 10);
        await store.PinAsync("s", "node-2", s_ttl, default);

        _time.Advance(s_ttl);

        Assert.Null(await store.TouchAsync("s", s_ttl, default));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task PinAsync_Again_MovesTheSession()
    {
        var store = new MemorySessionStore(_time, 10);
        await store.PinAsync("s", "node-2", s_ttl, default);

        await store.PinAsync("s", "node-3", s_ttl, default);

        Assert.Equal("node-3", await store.TouchAsync("s", s_ttl, default));
    }

    [Fact]
    public async Task PinAsync_Full_SweepsExpiredThenRefusesNewSessions()
    {
        var store = new MemorySessionStore(_time, 2);
        await store.PinAsync("old", "node-1", TimeSpan.FromMinutes(1), default);
        await store.PinAsync("live", "node-1", s_ttl, default);
        _time.Advance(TimeSpan.FromMinutes(2));

        await store.PinAsync("new", "node-2", s_ttl, default);
        await store.PinAsync("refused", "node-3", s_ttl, default);

        Assert.Equal("node-2", await store.TouchAsync("new", s_ttl, default));
        Assert.Equal("node-1", await store.TouchAsync("live", s_ttl, default));
        Assert.Null(await store.TouchAsync("refused", s_ttl, default));
        Assert.Equal(2, store.Count);
    }
}
