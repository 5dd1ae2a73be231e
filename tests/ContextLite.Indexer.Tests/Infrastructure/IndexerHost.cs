using ContextLite.Indexer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Indexer.Tests.Infrastructure;

/// <summary>An indexer in this process with fast timings (1 s heartbeat and poll), rebuilding the workspaces of one node.</summary>
internal sealed class IndexerHost : IAsyncDisposable
{
    public const string ClusterKey = "test-cluster-key-0123456789";

    private bool _disposed;

    private IndexerHost(WebApplication app)
    {
        App = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>Starts an indexer that knows the node <c>test-node</c> at <paramref name="node"/>.</summary>
    public static async Task<IndexerHost> StartAsync(
        RedisServer redis, Uri node, string instance, IDictionary<string, string?>? settings = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["indexer:redis"] = redis.ConnectionString,
            ["indexer:instance_id"] = instance,
            ["indexer:cluster_key"] = ClusterKey,
            ["indexer:nodes:test-node"] = node.ToString(),
            ["indexer:heartbeat_seconds"] = "1",
            ["indexer:poll_seconds"] = "1",
            ["indexer:pause_between_rebuilds_ms"] = "100",
            ["indexer:min_chunks"] = "20",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var app = IndexerApplication.Build(["--urls", "http://127.0.0.1:0"], overrides);
        await app.StartAsync();
        return new IndexerHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
