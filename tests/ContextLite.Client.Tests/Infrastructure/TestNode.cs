using ContextLite.Node.Configuration;
using ContextLite.Node.Hosting;
using Microsoft.AspNetCore.Builder;

namespace ContextLite.Client.Tests.Infrastructure;

/// <summary>A real node in this process on a given loopback port, with its own temp data directory.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;
    private bool _stopped;

    private TestNode(WebApplication app, string data, int port)
    {
        _app = app;
        _data = data;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public static async Task<TestNode> StartAsync(int port, string nodeId, IDictionary<string, string?>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "contextlite-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["embeddings:provider"] = "hashing",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        var app = NodeApplication.Build(new NodeArguments(Port: port, Host: "127.0.0.1", NodeId: nodeId, DataDirectory: data), overrides);
        await app.StartAsync();
        return new TestNode(app, data, port);
    }

    /// <summary>Stops listening, as a node that went away.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner gets what is still held.
        }
    }
}
