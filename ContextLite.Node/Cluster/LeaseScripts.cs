namespace ContextLite.Node.Cluster;

/// <summary>The leader lease's Lua scripts: only the holder may extend or drop it.</summary>
internal static class LeaseScripts
{
    /// <summary>
    /// KEYS[1] lease, ARGV[1] node id, ARGV[2] TTL ms. Extends the lease when this node holds it; returns the
    /// holder either way (nil when the lease is free, which the next <c>SET NX</c> takes).
    /// </summary>
    public const string Renew = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return holder
        """;

    /// <summary>KEYS[1] lease, ARGV[1] node id. Deletes the lease when this node holds it; returns 1 when deleted.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;
}
