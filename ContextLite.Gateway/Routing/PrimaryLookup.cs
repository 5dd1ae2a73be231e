using System.Collections.Concurrent;
using ContextLite.Cluster;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace ContextLite.Gateway.Routing;

/// <summary>
/// Reads each workspace's primary from the record the nodes keep in Redis (<c>{prefix}primary:{workspace}</c> =
/// <c>node|epoch</c>), cached for <see cref="CacheFor"/> so a burst of requests costs one read. Only with
/// <c>gateway:replication_factor</c> above 1; without Redis (or while it is down) the last value read, else none.
/// </summary>
internal sealed class PrimaryLookup(GatewayRedis redis, IOptions<GatewayOptions> options, TimeProvider time)
{
    /// <summary>How long a record read is reused: a failover is followed within this much of the record's change.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);

    private const int MaxCached = 100_000;
    private readonly ConcurrentDictionary<string, (string? Node, long Epoch, long ReadAt)> _cache = new(StringComparer.Ordinal);

    public bool Enabled => options.Value.ReplicationFactor > 1;

    /// <summary>Drops the cached record (a node answered 421: it is not the primary any more), so the next request reads it again.</summary>
    public void Forget(string workspace) => _cache.TryRemove(workspace, out _);

    /// <summary>The primary node and epoch of <paramref name="workspace"/>, or null when none is recorded or known.</summary>
    public async ValueTask<(string Node, long Epoch)?> PrimaryOfAsync(string workspace)
    {
        if (!Enabled)
        {
            return null;
        }

        var now = time.GetTimestamp();
        if (_cache.TryGetValue(workspace, out var cached) && time.GetElapsedTime(cached.ReadAt, now) < CacheFor)
        {
            return cached.Node is null ? null : (cached.Node, cached.Epoch);
        }

        if (redis.Database is { } database)
        {
            try
            {
                var record = PrimaryRecord.Parse((string?)await database.StringGetAsync(PrimaryRecord.KeyOf(redis.KeyPrefix, workspace)));
                redis.MarkAnswered();
                if (_cache.Count >= MaxCached)
                {
                    _cache.Clear();
                }

                _cache[workspace] = (record?.Node, record?.Epoch ?? 0, now);
                return record is { } known ? (known.Node, known.Epoch) : null;
            }
            catch (Exception ex) when (GatewayRedis.IsFailure(ex))
            {
                redis.MarkFailed(ex);
            }
        }

        return cached.Node is null ? null : (cached.Node, cached.Epoch);
    }
}
