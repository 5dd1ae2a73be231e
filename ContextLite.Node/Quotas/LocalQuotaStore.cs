using System.Collections.Concurrent;

namespace ContextLite.Node.Quotas;

/// <summary>
/// Quota state in this process: exact, lock-per-workspace, and used alone when no Redis is configured or as
/// the fallback (this node's share only) while Redis is unreachable.
/// </summary>
internal sealed class LocalQuotaStore(TimeProvider time) : IQuotaStore
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _leases = new(StringComparer.Ordinal);

    public Task<TokenReservation> TryReserveAsync(string workspace, long tokens, long capacityPerMinute, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var bucket = _buckets.GetOrAdd(workspace, static (_, state) => new Bucket(state.Capacity, state.Now), (Capacity: (double)capacityPerMinute, Now: now));
        lock (bucket)
        {
            bucket.Capacity = capacityPerMinute;
            bucket.Tokens = TokenBucket.Refill(bucket.Tokens, bucket.UpdatedMs, now, bucket.Capacity);
            bucket.UpdatedMs = Math.Max(bucket.UpdatedMs, now);
            if (bucket.Tokens >= tokens)
            {
                bucket.Tokens -= tokens;
                return Task.FromResult(new TokenReservation(true, bucket.Tokens, TimeSpan.Zero));
            }

            return Task.FromResult(new TokenReservation(false, bucket.Tokens, TokenBucket.WaitFor(tokens, bucket.Tokens, bucket.Capacity)));
        }
    }

    public Task RefundAsync(string workspace, long tokens, CancellationToken cancellationToken = default)
    {
        if (tokens > 0 && _buckets.TryGetValue(workspace, out var bucket))
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            lock (bucket)
            {
                bucket.Tokens = Math.Min(bucket.Capacity, TokenBucket.Refill(bucket.Tokens, bucket.UpdatedMs, now, bucket.Capacity) + tokens);
                bucket.UpdatedMs = Math.Max(bucket.UpdatedMs, now);
            }
        }

        return Task.CompletedTask;
    }

    public Task<LeaseGrant> TryAcquireLeaseAsync(string workspace, int max, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var leases = _leases.GetOrAdd(workspace, static _ => new Dictionary<string, long>(StringComparer.Ordinal));
        lock (leases)
        {
            RemoveExpired(leases, now);
            if (leases.Count >= max)
            {
                var oldest = leases.Count == 0 ? now + (long)ttl.TotalMilliseconds : leases.Values.Min();
                return Task.FromResult(new LeaseGrant(null, leases.Count, TimeSpan.FromMilliseconds(oldest - now)));
            }

            var id = Guid.NewGuid().ToString("N");
            leases[id] = now + (long)ttl.TotalMilliseconds;
            return Task.FromResult(new LeaseGrant(id, leases.Count, TimeSpan.Zero));
        }
    }

    public Task ReleaseLeaseAsync(string workspace, string leaseId, CancellationToken cancellationToken = default)
    {
        if (_leases.TryGetValue(workspace, out var leases))
        {
            lock (leases)
            {
                leases.Remove(leaseId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> RenewLeaseAsync(string workspace, string leaseId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        if (!_leases.TryGetValue(workspace, out var leases))
        {
            return Task.FromResult(false);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (leases)
        {
            RemoveExpired(leases, now);
            if (!leases.ContainsKey(leaseId))
            {
                return Task.FromResult(false);
            }

            leases[leaseId] = now + (long)ttl.TotalMilliseconds;
            return Task.FromResult(true);
        }
    }

    // Same rule as Redis' ZREMRANGEBYSCORE -inf now: a lease whose expiry is now has expired.
    private static void RemoveExpired(Dictionary<string, long> leases, long now)
    {
        foreach (var (id, expiry) in leases)
        {
            if (expiry <= now)
            {
                leases.Remove(id);
            }
        }
    }

    private sealed class Bucket(double capacity, long now)
    {
        public double Capacity { get; set; } = capacity;

        public double Tokens { get; set; } = capacity;

        public long UpdatedMs { get; set; } = now;
    }
}
