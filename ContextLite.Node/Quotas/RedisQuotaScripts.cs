namespace ContextLite.Node.Quotas;

/// <summary>
/// The Lua run by <see cref="RedisQuotaStore"/>: one script per operation, so each is atomic across nodes.
/// </summary>
/// <remarks>
/// Every script takes the caller's clock in milliseconds as its last argument, or a negative number to use the
/// Redis server's <c>TIME</c>. Production passes −1 so that all nodes read one clock and node clock skew cannot
/// mint tokens; tests pass a <c>FakeTimeProvider</c>'s time so the maths is deterministic. Numbers go back to
/// Redis through <c>%.17g</c> so a double survives the round trip exactly.
/// </remarks>
internal static class RedisQuotaScripts
{
    private const string Now = """
        local now = tonumber(ARGV[#ARGV])
        if now < 0 then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        """;

    /// <summary>KEYS: bucket. ARGV: tokens, capacity, now. Returns {granted, wait_ms, remaining}.</summary>
    public const string Reserve = Now + """
        local want = tonumber(ARGV[1])
        local cap = tonumber(ARGV[2])
        local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(s[1])
        local ts = tonumber(s[2])
        if tokens == nil or ts == nil then tokens = cap; ts = now end
        if now > ts then tokens = tokens + (now - ts) * cap / 60000; ts = now end
        if tokens > cap then tokens = cap end
        local granted = 0
        local wait = 0
        if tokens >= want then
          tokens = tokens - want
          granted = 1
        else
          wait = math.ceil((want - tokens) * 60000 / cap)
        end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', ts), 'cap', string.format('%.17g', cap))
        redis.call('PEXPIRE', KEYS[1], 120000)
        return {granted, wait, string.format('%.17g', tokens)}
        """;

    /// <summary>KEYS: bucket. ARGV: tokens, now. A missing bucket is full, so there is nothing to refund into.</summary>
    public const string Refund = Now + """
        local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'cap')
        local tokens = tonumber(s[1])
        local ts = tonumber(s[2])
        local cap = tonumber(s[3])
        if tokens == nil or ts == nil or cap == nil then return 0 end
        if now > ts then tokens = tokens + (now - ts) * cap / 60000; ts = now end
        tokens = math.min(cap, tokens + tonumber(ARGV[1]))
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.17g', ts))
        redis.call('PEXPIRE', KEYS[1], 120000)
        return 1
        """;

    /// <summary>
    /// KEYS: lease set. ARGV: max, ttl_ms, lease id, now. Leases are members scored by expiry; expired ones are
    /// removed before counting, which is what frees the slots of a node that died holding them.
    /// Returns {granted, active, wait_ms}.
    /// </summary>
    public const string Acquire = Now + """
        local max = tonumber(ARGV[1])
        local ttl = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local active = redis.call('ZCARD', KEYS[1])
        if active >= max then
          local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
          local wait = ttl
          if first[2] then wait = tonumber(first[2]) - now end
          return {0, active, wait}
        end
        redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
        if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
        return {1, active + 1, 0}
        """;

    /// <summary>KEYS: lease set. ARGV: lease id, ttl_ms, now. Returns 1 when the lease was live and now runs to now + ttl.</summary>
    public const string Renew = Now + """
        local ttl = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
        if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
        return 1
        """;
}
