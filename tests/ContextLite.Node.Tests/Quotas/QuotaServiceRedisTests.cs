using ContextLite.Cluster;
using ContextLite.Node.Quotas;
using StackExchange.Redis;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>
/// <see cref="QuotaService"/> against a real redis-server that dies mid-test: the node keeps enforcing limits
/// locally and reports degraded, then goes back to Redis when a new server answers on the same port.
/// </summary>
public sealed class QuotaServiceRedisTests : IAsyncLifetime
{
    private RedisServer _server = null!;

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Admit_RedisKilledThenRestarted_DegradesToLocalLimitsThenRecovers()
    {
        // 6000 a minute is 0.1 token per millisecond: a refill between two calls is far below a reservation.
        // The operation timeout is generous on purpose: an operation that times out falls back to the local bucket
        // (correctly), and on a loaded CI machine the first call to the restarted server took over 500 ms once,
        // which made the recovered admission land on the exhausted local bucket. Loss of the server is seen
        // through the connection events, not through timeouts, so this does not slow the test down.
        await using var quotas = QuotaServices.Create(
            new ResourceLimits { MaxTokensPerMinute = 6000 },
            new QuotaOptions { Redis = _server.ConnectionString, ConnectTimeoutMs = 1000, OperationTimeoutMs = 5000, ReconnectIntervalMs = 200 });
        await quotas.StartAsync(default);
        Assert.False(quotas.Degraded);
        await AdmitAndUseAsync(quotas, "w", 6000);
        await using (var probe = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString))
        {
            Assert.True(await probe.GetDatabase().KeyExistsAsync("contextlite:quota:{w}:tokens"));
        }

        _server.Kill();
        await WaitUntilAsync(() => quotas.Degraded, "degraded after Redis was killed");
        var local = await AdmitAndUseAsync(quotas, "w", 6000);
        var (refused, refusal) = await quotas.AdmitAsync("w", 6000, default);

        Assert.NotNull(local);
        Assert.Null(refused);
        Assert.Equal(QuotaLimits.MaxTokensPerMinute, refusal!.Limit);
        Assert.True(quotas.Degraded);

        await _server.StartAgainAsync();
        await WaitUntilAsync(() => !quotas.Degraded, "recovered after Redis restarted");
        // The new server has no state: a full bucket, in Redis again.
        var recovered = await AdmitAndUseAsync(quotas, "w", 6000);
        await using var after = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
        Assert.NotNull(recovered);
        Assert.True(await after.GetDatabase().KeyExistsAsync("contextlite:quota:{w}:tokens"));
        Assert.False(quotas.Degraded);
    }

    [Fact]
    public async Task Start_RedisConfiguredButDown_DegradedAndStillEnforcing()
    {
        await using var quotas = QuotaServices.Create(
            new ResourceLimits { MaxTokensPerMinute = 1000 },
            new QuotaOptions { Redis = $"127.0.0.1:{RedisServer.FreePort()}", ConnectTimeoutMs = 200 });

        await quotas.StartAsync(default);
        var first = await AdmitAndUseAsync(quotas, "w", 1000);
        var (second, refusal) = await quotas.AdmitAsync("w", 1000, default);

        Assert.True(quotas.Degraded);
        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(QuotaLimits.MaxTokensPerMinute, refusal!.Limit);
    }

    private static async Task<Admission?> AdmitAndUseAsync(QuotaService quotas, string workspace, long tokens)
    {
        var (admission, refusal) = await quotas.AdmitAsync(workspace, tokens, default);
        Assert.True(admission is not null, refusal?.Detail);
        admission.Used = tokens;
        await admission.DisposeAsync();
        return admission;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not " + what + " within 30 s");
            await Task.Delay(100);
        }
    }
}
