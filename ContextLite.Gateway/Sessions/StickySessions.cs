using ContextLite.Cluster;
using ContextLite.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace ContextLite.Gateway.Sessions;

/// <summary>
/// Sticky sessions: a request naming a session (<c>X-Session-ID</c>, else the <c>contextlite-session</c> cookie)
/// is sent to the node that served the session before, while that node is healthy and is one of the
/// workspace's eligible nodes (see <see cref="Routing.WorkspaceRouter"/>).
/// </summary>
/// <remarks>
/// <para>
/// With replication factor 1 a workspace has one eligible node, its owner, so a pin can only confirm the
/// strategy's choice; stickiness matters once R&gt;1, or with <c>least_connections</c> / <c>resource_based</c>
/// spreading a workspace over its replicas, where it keeps one conversation on one node (and its caches).
/// </para>
/// <para>
/// Pins live in Redis when it is configured and answering, else in <see cref="MemorySessionStore"/>; a Redis
/// failure mid-request falls back for that request. Every hit restarts the pin's sliding TTL.
/// </para>
/// </remarks>
internal sealed class StickySessions
{
    /// <summary>The header that names a session.</summary>
    public const string HeaderName = "X-Session-ID";

    private const int MaxSessionIdLength = 128;

    private readonly GatewayRedis _redis;
    private readonly ClusterOptions _cluster;
    private readonly TimeSpan _ttl;
    private readonly string _cookie;

    public StickySessions(GatewayRedis redis, IOptions<GatewayOptions> options, IOptions<ClusterOptions> cluster, TimeProvider time)
    {
        _redis = redis;
        _cluster = cluster.Value;
        _ttl = TimeSpan.FromSeconds(options.Value.SessionTtlSeconds);
        _cookie = options.Value.SessionCookie;
        Local = new MemorySessionStore(time, options.Value.MaxLocalSessions);
    }

    /// <summary>The in-process store (used without Redis and while it is down).</summary>
    public MemorySessionStore Local { get; }

    public TimeSpan Ttl => _ttl;

    /// <summary><c>redis</c> while Redis holds the pins, else <c>memory</c>.</summary>
    public string StoreName => _redis.Database is not null && !_redis.Degraded ? "redis" : "memory";

    /// <summary>The session id the request names, or null (absent, too long, or not printable ASCII).</summary>
    public string? SessionOf(HttpRequest request)
    {
        var id = request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0 ? header.ToString()
            : request.Cookies.TryGetValue(_cookie, out var cookie) ? cookie
            : null;
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxSessionIdLength)
        {
            return null;
        }

        foreach (var c in id)
        {
            if (c is < '!' or > '~')
            {
                return null;
            }
        }

        return id;
    }

    /// <summary>True when sessions of <paramref name="workspace"/> are sticky (<c>affinity.sticky_sessions</c>, overridable per rule).</summary>
    public bool IsSticky(string workspace) =>
        _cluster.Affinity.Rules.TryGetValue(workspace, out var rule) && rule.StickySession is { } own
            ? own
            : _cluster.Affinity.StickySessions;

    /// <summary>The node <paramref name="session"/> is pinned to (sliding its TTL), or null.</summary>
    public async ValueTask<string?> PinnedNodeAsync(string session, CancellationToken cancellationToken)
    {
        if (_redis.Database is { } database)
        {
            try
            {
                var node = await new RedisSessionStore(database, _redis.KeyPrefix).TouchAsync(session, _ttl, cancellationToken);
                _redis.MarkAnswered();
                return node;
            }
            catch (Exception ex) when (GatewayRedis.IsFailure(ex))
            {
                _redis.MarkFailed(ex);
            }
        }

        return await Local.TouchAsync(session, _ttl, cancellationToken);
    }

    /// <summary>Pins <paramref name="session"/> to <paramref name="node"/>.</summary>
    public async ValueTask PinAsync(string session, string node, CancellationToken cancellationToken)
    {
        if (_redis.Database is { } database)
        {
            try
            {
                await new RedisSessionStore(database, _redis.KeyPrefix).PinAsync(session, node, _ttl, cancellationToken);
                _redis.MarkAnswered();
                return;
            }
            catch (Exception ex) when (GatewayRedis.IsFailure(ex))
            {
                _redis.MarkFailed(ex);
            }
        }

        await Local.PinAsync(session, node, _ttl, cancellationToken);
    }
}
