using ContextLite.ServiceDefaults.Leasing;
using StackExchange.Redis;

namespace ContextLite.Indexer.Leasing;

/// <summary>
/// The indexer lease: one Redis key holding the instance id of the replica allowed to rebuild, with a TTL that
/// its holder renews on every heartbeat. Taking or renewing (<see cref="LeaseScripts.AcquireOrRenew"/>) and
/// releasing are compare-and-set scripts, so a replica whose lease expired and was taken can never extend or
/// drop the new holder's (the node's leader lease works the same way). A replica that dies simply stops
/// renewing and the next one takes over within one TTL.
/// </summary>
internal sealed class IndexerLease(IConnectionMultiplexer redis, RedisKey key, string instanceId, TimeSpan ttl)
{
    public string InstanceId => instanceId;

    public RedisKey Key => key;

    /// <summary>Takes the lease when free or renews it when held; returns the holder after the call (null if none).</summary>
    public async Task<string?> AcquireOrRenewAsync() =>
        (string?)await redis.GetDatabase().ScriptEvaluateAsync(LeaseScripts.AcquireOrRenew, [key], [instanceId, (long)ttl.TotalMilliseconds]);

    /// <summary>Gives the lease up if this replica holds it; true when it did.</summary>
    public async Task<bool> ReleaseAsync() =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(LeaseScripts.Release, [key], [instanceId]) == 1;
}
