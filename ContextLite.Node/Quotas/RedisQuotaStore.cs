using System.Globalization;
using StackExchange.Redis;

namespace ContextLite.Node.Quotas;

/// <summary>
/// Quota state in Redis, shared by every node that uses the same server: one atomic Lua script per operation
/// (<see cref="RedisQuotaScripts"/>), keys <c>contextlite:quota:{workspace}:tokens</c> and <c>…:leases</c>.
/// </summary>
/// <remarks>
/// The braces around the workspace are a Redis Cluster hash tag: both keys of a workspace land in one slot.
/// Failures surface as <see cref="RedisException"/> or <see cref="TimeoutException"/>; <see cref="QuotaService"/>
/// decides what to do about them.
/// </remarks>
internal sealed class RedisQuotaStore(IConnectionMultiplexer redis, TimeProvider? clock = null, string prefix = RedisQuotaStore.DefaultPrefix) : IQuotaStore
{
    public const string DefaultPrefix = "contextlite:quota:";

    private IDatabase Database => redis.GetDatabase();

    public RedisKey BucketKey(string workspace) => $"{prefix}{{{workspace}}}:tokens";

    public RedisKey LeasesKey(string workspace) => $"{prefix}{{{workspace}}}:leases";

    public async Task<TokenReservation> TryReserveAsync(string workspace, long tokens, long capacityPerMinute, CancellationToken cancellationToken = default)
    {
        var reply = (RedisResult[])(await Database.ScriptEvaluateAsync(
            RedisQuotaScripts.Reserve, [BucketKey(workspace)], [tokens, capacityPerMinute, NowArgument()]).WaitAsync(cancellationToken))!;
        var remaining = double.Parse((string)reply[2]!, CultureInfo.InvariantCulture);
        return new TokenReservation((int)reply[0] == 1, remaining, TimeSpan.FromMilliseconds((long)reply[1]));
    }

    public Task RefundAsync(string workspace, long tokens, CancellationToken cancellationToken = default) =>
        tokens <= 0
            ? Task.CompletedTask
            : Database.ScriptEvaluateAsync(RedisQuotaScripts.Refund, [BucketKey(workspace)], [tokens, NowArgument()]).WaitAsync(cancellationToken);

    public async Task<LeaseGrant> TryAcquireLeaseAsync(string workspace, int max, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var id = Guid.NewGuid().ToString("N");
        var reply = (RedisResult[])(await Database.ScriptEvaluateAsync(
            RedisQuotaScripts.Acquire, [LeasesKey(workspace)], [max, (long)ttl.TotalMilliseconds, id, NowArgument()]).WaitAsync(cancellationToken))!;
        return (int)reply[0] == 1
            ? new LeaseGrant(id, (int)reply[1], TimeSpan.Zero)
            : new LeaseGrant(null, (int)reply[1], TimeSpan.FromMilliseconds(Math.Max(0, (long)reply[2])));
    }

    public Task ReleaseLeaseAsync(string workspace, string leaseId, CancellationToken cancellationToken = default) =>
        Database.SortedSetRemoveAsync(LeasesKey(workspace), leaseId).WaitAsync(cancellationToken);

    public async Task<bool> RenewLeaseAsync(string workspace, string leaseId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var reply = await Database.ScriptEvaluateAsync(
            RedisQuotaScripts.Renew, [LeasesKey(workspace)], [leaseId, (long)ttl.TotalMilliseconds, NowArgument()]).WaitAsync(cancellationToken);
        return (int)reply == 1;
    }

    private long NowArgument() => clock is null ? -1 : clock.GetUtcNow().ToUnixTimeMilliseconds();
}
