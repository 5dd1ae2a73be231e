using ContextLite.Node.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>
/// The behaviour every <see cref="IQuotaStore"/> must show, run against <see cref="LocalQuotaStore"/> and
/// <see cref="RedisQuotaStore"/> alike. Time is a <see cref="FakeTimeProvider"/>, so the numbers are exact.
/// </summary>
public abstract class QuotaStoreContractTests
{
    private static readonly DateTimeOffset s_start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected QuotaStoreContractTests()
    {
        Time = new FakeTimeProvider(s_start);
        // Unique per test so tests sharing one Redis never share a bucket.
        Workspace = "ws-" + Guid.NewGuid().ToString("N")[..12];
    }

    protected FakeTimeProvider Time { get; }

    protected string Workspace { get; }

    private protected abstract IQuotaStore Store { get; }

    [Fact]
    public async Task TryReserve_NewBucket_GrantsUpToCapacityThenRefuses()
    {
        var first = await Store.TryReserveAsync(Workspace, 600, 1000);
        var second = await Store.TryReserveAsync(Workspace, 400, 1000);
        var third = await Store.TryReserveAsync(Workspace, 1, 1000);

        Assert.True(first.Granted);
        Assert.Equal(400, first.Remaining, 6);
        Assert.True(second.Granted);
        Assert.Equal(0, second.Remaining, 6);
        Assert.False(third.Granted);
    }

    [Fact]
    public async Task TryReserve_EmptyBucket_RetryAfterIsTheTimeToRefillTheShortfall()
    {
        await Store.TryReserveAsync(Workspace, 1000, 1000);

        var refused = await Store.TryReserveAsync(Workspace, 100, 1000);
        Time.Advance(TimeSpan.FromMilliseconds(5999));
        var almost = await Store.TryReserveAsync(Workspace, 100, 1000);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var granted = await Store.TryReserveAsync(Workspace, 100, 1000);

        // 1000 tokens a minute is one token per 60 ms: 100 tokens take 6 s.
        Assert.False(refused.Granted);
        Assert.Equal(TimeSpan.FromSeconds(6), refused.RetryAfter);
        Assert.False(almost.Granted);
        Assert.Equal(TimeSpan.FromMilliseconds(1), almost.RetryAfter);
        Assert.True(granted.Granted);
    }

    [Fact]
    public async Task TryReserve_AfterPartOfAMinute_RefillsContinuously()
    {
        await Store.TryReserveAsync(Workspace, 600, 600);

        Time.Advance(TimeSpan.FromMilliseconds(1500));
        var refilled = await Store.TryReserveAsync(Workspace, 15, 600);
        var more = await Store.TryReserveAsync(Workspace, 1, 600);

        Assert.True(refilled.Granted);
        Assert.Equal(0, refilled.Remaining, 6);
        Assert.False(more.Granted);
        Assert.Equal(TimeSpan.FromMilliseconds(100), more.RetryAfter);
    }

    [Fact]
    public async Task TryReserve_LongIdle_RefillsToCapacityAndNoFurther()
    {
        await Store.TryReserveAsync(Workspace, 1000, 1000);

        Time.Advance(TimeSpan.FromMinutes(10));
        var full = await Store.TryReserveAsync(Workspace, 1000, 1000);
        var beyond = await Store.TryReserveAsync(Workspace, 1, 1000);

        Assert.True(full.Granted);
        Assert.False(beyond.Granted);
    }

    [Fact]
    public async Task Refund_UnusedTokens_LetAFollowingRequestPass()
    {
        await Store.TryReserveAsync(Workspace, 1000, 1000);
        var before = await Store.TryReserveAsync(Workspace, 200, 1000);

        await Store.RefundAsync(Workspace, 300);
        var after = await Store.TryReserveAsync(Workspace, 200, 1000);

        Assert.False(before.Granted);
        Assert.True(after.Granted);
        Assert.Equal(100, after.Remaining, 6);
    }

    [Fact]
    public async Task Refund_MoreThanWasTaken_NeverRaisesTheBucketAboveCapacity()
    {
        await Store.TryReserveAsync(Workspace, 100, 1000);

        await Store.RefundAsync(Workspace, 5000);
        var full = await Store.TryReserveAsync(Workspace, 1000, 1000);
        var beyond = await Store.TryReserveAsync(Workspace, 1, 1000);

        Assert.True(full.Granted);
        Assert.False(beyond.Granted);
    }

    [Fact]
    public async Task TryAcquireLease_AtMax_RefusesUntilOneIsReleased()
    {
        var ttl = TimeSpan.FromMinutes(1);
        var a = await Store.TryAcquireLeaseAsync(Workspace, 2, ttl);
        var b = await Store.TryAcquireLeaseAsync(Workspace, 2, ttl);
        var refused = await Store.TryAcquireLeaseAsync(Workspace, 2, ttl);

        await Store.ReleaseLeaseAsync(Workspace, a.LeaseId!);
        var c = await Store.TryAcquireLeaseAsync(Workspace, 2, ttl);

        Assert.True(a.Granted);
        Assert.True(b.Granted);
        Assert.Equal(2, b.Active);
        Assert.False(refused.Granted);
        Assert.Equal(2, refused.Active);
        Assert.True(c.Granted);
        Assert.NotEqual(a.LeaseId, c.LeaseId);
    }

    [Fact]
    public async Task TryAcquireLease_HolderNeverReleases_LeaseExpiresAfterTtl()
    {
        var ttl = TimeSpan.FromSeconds(30);
        var held = await Store.TryAcquireLeaseAsync(Workspace, 1, ttl);

        Time.Advance(TimeSpan.FromMilliseconds(29_999));
        var stillHeld = await Store.TryAcquireLeaseAsync(Workspace, 1, ttl);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var expired = await Store.TryAcquireLeaseAsync(Workspace, 1, ttl);

        Assert.True(held.Granted);
        Assert.False(stillHeld.Granted);
        Assert.Equal(TimeSpan.FromMilliseconds(1), stillHeld.RetryAfter);
        Assert.True(expired.Granted);
    }

    [Fact]
    public async Task RenewLease_LiveLease_ExtendsItsExpiry()
    {
        var ttl = TimeSpan.FromSeconds(30);
        var held = await Store.TryAcquireLeaseAsync(Workspace, 1, ttl);

        Time.Advance(TimeSpan.FromSeconds(20));
        var renewed = await Store.RenewLeaseAsync(Workspace, held.LeaseId!, ttl);
        Time.Advance(TimeSpan.FromSeconds(20));
        var stillHeld = await Store.TryAcquireLeaseAsync(Workspace, 1, ttl);
        Time.Advance(TimeSpan.FromSeconds(10));
        var expired = await Store.TryAcquireLeaseAsync(Workspace, 1, ttl);
        var lateRenewal = await Store.RenewLeaseAsync(Workspace, held.LeaseId!, ttl);

        Assert.True(renewed);
        Assert.False(stillHeld.Granted);
        Assert.True(expired.Granted);
        Assert.False(lateRenewal);
    }
}
