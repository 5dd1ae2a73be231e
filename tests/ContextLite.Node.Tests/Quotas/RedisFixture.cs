using StackExchange.Redis;

namespace ContextLite.Node.Tests.Quotas;

/// <summary>One redis-server for a test class, and a connection to it; killed when the class is done.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    internal ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Connection = await ConnectAsync();
    }

    internal Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(Server.ConnectionString);

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        Server?.Dispose();
    }
}
