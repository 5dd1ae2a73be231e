namespace ContextLite.ServiceDefaults.Leasing;

/// <summary>
/// The Lua scripts of a Redis lease (the node's leader lease, the indexer's rebuild lease): one key holding its
/// holder's id with a TTL; only the holder may extend or drop it.
/// </summary>
public static class LeaseScripts
{
    /// <summary>
    /// KEYS[1] lease, ARGV[1] holder id, ARGV[2] TTL ms. Takes the lease when it is free and extends it when this
    /// id holds it; returns the holder after the call. One script, so it is atomic: a <c>SET NX</c> followed by a
    /// separate renew would answer "nobody" when the lease expired between the two calls, and the caller would
    /// miss a beat it could have taken.
    /// </summary>
    public const string AcquireOrRenew = """
        local holder = redis.call('GET', KEYS[1])
        if not holder then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return ARGV[1]
        end
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return holder
        """;

    /// <summary>KEYS[1] lease, ARGV[1] holder id. Deletes the lease when this id holds it; returns 1 when deleted.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;
}
