using ContextLite.Node.Configuration;
using ContextLite.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Gateway.Tests.Infrastructure;

/// <summary>A real node in this process (the node's own builder), on a free loopback port with its own data directory.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private bool _stopped;

    private TestNode(string nodeId, IDictionary<string, string?>? settings)
    {
        NodeId = nodeId;
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // The hashing embedder keeps functional tests fast; MiniLM has its own tests.
            ["embeddings:provider"] = "hashing",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        App = NodeApplication.Build(new NodeArguments(Port: 0, Host: "127.0.0.1", NodeId: nodeId, DataDirectory: _data.Path), overrides);
    }

    public string NodeId { get; }

    public WebApplication App { get; }

    /// <summary><c>host:port</c>, the form of <c>cluster.discovery.endpoints</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Starts a node; <paramref name="settings"/> override its configuration (e.g. <c>security:api_keys</c>).</summary>
    public static async Task<TestNode> StartAsync(string nodeId, IDictionary<string, string?>? settings = null)
    {
        var node = new TestNode(nodeId, settings);
        await node.App.StartAsync();
        var address = new Uri(node.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        node.Endpoint = $"{address.Host}:{address.Port}";
        return node;
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await App.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
        _data.Dispose();
    }
}
