using StackExchange.Redis;

namespace ContextLite.Indexer.Leasing;

/// <summary>
/// The indexer lease: one Redis key holding the instance id of the replica allowed to rebuild, with a TTL that
/// its holder renews on every heartbeat. <c>SET NX PX</c> takes a free lease; renewal and release are
/// compare-and-set scripts, so a replica whose lease expired and was taken can never extend or drop the new
/// holder's (the node's leader lease works the same way). A replica that dies simply stops renewing and the
/// next one takes over within one TTL.
/// </summary>
internal sealed class IndexerLease(IConnectionMultiplexer redis, RedisKey key, string instanceId, TimeSpan ttl)
{
    /// <summary>KEYS[1] lease, ARGV[1] instance, ARGV[2] TTL ms: extends the lease when held; returns the holder.</summary>
    private const string RenewScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return holder
        """;

    /// <summary>KEYS[1] lease, ARGV[1] instance: deletes the lease when held; returns 1 when deleted.</summary>
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    public string InstanceId => instanceId;

    public RedisKey Key => key;

    /// <summary>Takes the lease when free or renews it when held; returns the holder after the call (null if none).</summary>
    public async Task<string?> AcquireOrRenewAsync()
    {
        var database = redis.GetDatabase();
        if (await database.StringSetAsync(key, instanceId, ttl, When.NotExists))
        {
            return instanceId;
        }

        return (string?)await database.ScriptEvaluateAsync(RenewScript, [key], [instanceId, (long)ttl.TotalMilliseconds]);
    }

    /// <summary>Gives the lease up if this replica holds it; true when it did.</summary>
    public async Task<bool> ReleaseAsync() =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [key], [instanceId]) == 1;
}
