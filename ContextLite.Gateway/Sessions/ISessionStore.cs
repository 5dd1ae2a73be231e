namespace ContextLite.Gateway.Sessions;

/// <summary>Where sticky sessions are kept: session id → the node that serves it, with a sliding expiry.</summary>
internal interface ISessionStore
{
    /// <summary>The node <paramref name="session"/> is pinned to, or null; a hit restarts its <paramref name="ttl"/>.</summary>
    ValueTask<string?> TouchAsync(string session, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Pins <paramref name="session"/> to <paramref name="node"/> for <paramref name="ttl"/>.</summary>
    ValueTask PinAsync(string session, string node, TimeSpan ttl, CancellationToken cancellationToken);
}
