using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextLite.Gateway.Sessions;

/// <summary>
/// The gateway's Redis connection (<c>gateway:redis</c>, else <c>ConnectionStrings:cache</c>), opened at start.
/// </summary>
/// <remarks>
/// Connected with <c>AbortOnConnectFail=false</c> and a fail-fast backlog, as the nodes do: while Redis is down
/// every call fails at once (the gateway then uses its in-process session store and reports <c>degraded</c>)
/// and the multiplexer keeps reconnecting in the background.
/// </remarks>
internal sealed class GatewayRedis(IOptions<GatewayOptions> options, IConfiguration configuration, ILogger<GatewayRedis> logger)
    : IHostedService, IAsyncDisposable
{
    /// <summary>The Aspire connection string name used when <c>gateway:redis</c> is empty.</summary>
    public const string ConnectionStringName = "cache";

    private readonly string? _connectionString = string.IsNullOrWhiteSpace(options.Value.Redis)
        ? configuration.GetConnectionString(ConnectionStringName)
        : options.Value.Redis;

    private ConnectionMultiplexer? _redis;
    private volatile bool _failed;

    public bool Configured => !string.IsNullOrWhiteSpace(_connectionString);

    /// <summary>True while Redis is configured but not answering.</summary>
    public bool Degraded => Configured && (_redis is null || !_redis.IsConnected || _failed);

    /// <summary>The database while Redis is connected, else null.</summary>
    public IDatabase? Database => _redis is { IsConnected: true } redis ? redis.GetDatabase() : null;

    public string KeyPrefix => options.Value.RedisKeyPrefix;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return;
        }

        var config = ConfigurationOptions.Parse(_connectionString!);
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = Math.Max(options.Value.RedisTimeoutMs, 1000);
        config.SyncTimeout = options.Value.RedisTimeoutMs;
        config.AsyncTimeout = options.Value.RedisTimeoutMs;
        config.ReconnectRetryPolicy = new LinearRetry(1000);
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ClientName ??= "contextlite-gateway";

        var redis = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken);
        redis.ConnectionFailed += (_, e) => MarkFailed(e.Exception);
        redis.ConnectionRestored += (_, _) => _failed = false;
        _redis = redis;
        if (!redis.IsConnected)
        {
            GatewayLog.RedisUnavailable(logger, "not connected at start");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>The node holding the cluster lease (<c>{prefix}leader</c>, written by the nodes), or null.</summary>
    public async Task<string?> LeaderAsync()
    {
        if (Database is not { } database)
        {
            return null;
        }

        try
        {
            var value = await database.StringGetAsync(KeyPrefix + "leader");
            return value.IsNull ? null : value.ToString();
        }
        catch (Exception ex) when (IsFailure(ex))
        {
            MarkFailed(ex);
            return null;
        }
    }

    public void MarkFailed(Exception? ex)
    {
        if (!_failed)
        {
            _failed = true;
            GatewayLog.RedisUnavailable(logger, ex?.Message ?? "connection failed");
        }
    }

    public void MarkAnswered() => _failed = false;

    /// <remarks>A connection torn down mid-call can surface as the pipe's InvalidOperationException or a socket error.</remarks>
    public static bool IsFailure(Exception ex) => ex is RedisException or TimeoutException or InvalidOperationException or IOException or System.Net.Sockets.SocketException;
}
