using StackExchange.Redis;

namespace ContextLite.Gateway.Sessions;

/// <summary>
/// Sticky sessions in Redis, shared by every gateway replica: <c>{prefix}session:{id}</c> → node id, with a
/// TTL that <c>GETEX … PX</c> restarts on every read (one round trip, atomic).
/// </summary>
internal sealed class RedisSessionStore(IDatabase database, string keyPrefix) : ISessionStore
{
    public RedisKey KeyOf(string session) => keyPrefix + "session:" + session;

    public async ValueTask<string?> TouchAsync(string session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var value = await database.StringGetSetExpiryAsync(KeyOf(session), ttl);
        return value.IsNull ? null : value.ToString();
    }

    public async ValueTask PinAsync(string session, string node, TimeSpan ttl, CancellationToken cancellationToken) =>
        await database.StringSetAsync(KeyOf(session), node, ttl);
}
