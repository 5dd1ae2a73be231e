using ContextLite.Cluster;
using ContextLite.Node.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>Admission without Redis: the order of checks, what a refusal names, and what is given back.</summary>
public sealed class QuotaServiceTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Admit_BucketTooLow_RefusesNamingMaxTokensPerMinuteWithNumbers()
    {
        await using var quotas = QuotaServices.Create(new ResourceLimits { MaxTokensPerMinute = 1000 }, time: _time);
        var (first, _) = await quotas.AdmitAsync("w", 900, default);
        first!.Used = 900;
        await first.DisposeAsync();

        var (admission, refusal) = await quotas.AdmitAsync("w", 500, default);

        Assert.Null(admission);
        Assert.Equal(QuotaLimits.MaxTokensPerMinute, refusal!.Limit);
        Assert.Contains("100 of its max_tokens_per_minute of 1000", refusal.Detail, StringComparison.Ordinal);
        Assert.Contains("reserves 500", refusal.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(24), refusal.RetryAfter);
        Assert.False(quotas.Degraded);
    }

    [Fact]
    public async Task Admit_Disposed_RefundsTheUnusedTokens()
    {
        await using var quotas = QuotaServices.Create(new ResourceLimits { MaxTokensPerMinute = 1000 }, time: _time);
        var (first, _) = await quotas.AdmitAsync("w", 1000, default);
        first!.Used = 150;
        await first.DisposeAsync();

        var (fits, _) = await quotas.AdmitAsync("w", 850, default);
        var (overflow, refusal) = await quotas.AdmitAsync("w", 1, default);

        Assert.NotNull(fits);
        Assert.Null(overflow);
        Assert.Equal(QuotaLimits.MaxTokensPerMinute, refusal!.Limit);
    }

    [Fact]
    public async Task Admit_LeasesExhausted_RefusesNamingMaxConcurrentRequestsAndRefundsTheTokens()
    {
        await using var quotas = QuotaServices.Create(new ResourceLimits { MaxTokensPerMinute = 1000, MaxConcurrentRequests = 1 }, time: _time);
        var (held, _) = await quotas.AdmitAsync("w", 400, default);

        var (second, refusal) = await quotas.AdmitAsync("w", 400, default);
        await held!.DisposeAsync();
        // A full bucket again: the refused request's reservation and the released one's unused tokens came back.
        var (afterRelease, _) = await quotas.AdmitAsync("w", 1000, default);

        Assert.Null(second);
        Assert.Equal(QuotaLimits.MaxConcurrentRequests, refusal!.Limit);
        Assert.Contains("1 requests running, its max_concurrent_requests is 1", refusal.Detail, StringComparison.Ordinal);
        Assert.NotNull(afterRelease);
    }

    [Fact]
    public async Task Admit_NodeSaturated_RefusesNamingTheNodeLimitAndGivesEverythingBack()
    {
        var options = new QuotaOptions { MaxConcurrentQueries = 1, MaxQueueWaitMs = 0 };
        await using var quotas = QuotaServices.Create(new ResourceLimits { MaxTokensPerMinute = 1000, MaxConcurrentRequests = 5 }, options, _time);
        var (held, _) = await quotas.AdmitAsync("a", 10, default);

        var (refused, refusal) = await quotas.AdmitAsync("b", 1000, default);
        await held!.DisposeAsync();
        var (admitted, _) = await quotas.AdmitAsync("b", 1000, default);

        Assert.Null(refused);
        Assert.Equal(QuotaLimits.MaxConcurrentQueries, refusal!.Limit);
        Assert.Contains("all 1 slots", refusal.Detail, StringComparison.Ordinal);
        Assert.NotNull(admitted);
    }

    [Fact]
    public async Task Admit_Disabled_AdmitsEverything()
    {
        await using var quotas = QuotaServices.Create(new ResourceLimits { MaxTokensPerMinute = 10 }, new QuotaOptions { Enabled = false }, _time);

        var (a, _) = await quotas.AdmitAsync("w", 1_000_000, default);
        var (b, _) = await quotas.AdmitAsync("w", 1_000_000, default);

        Assert.NotNull(a);
        Assert.NotNull(b);
    }
}
