using System.Net.Http.Json;
using ContextLite.Node.Configuration;
using ContextLite.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Node.Tests.Infrastructure;

/// <summary>
/// A real node in this process: Kestrel on a free loopback port, its own temp data directory.
/// Requests go over real HTTP, so limits, headers and problem+json are exercised as a client sees them.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly TempDirectory? _ownedData;

    private NodeHost(WebApplication app, string dataDirectory, TempDirectory? ownedData)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownedData = ownedData;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string DataDirectory { get; }

    /// <summary>
    /// Starts a node; <paramref name="settings"/> override configuration keys (e.g. <c>storage:max_document_bytes</c>),
    /// <paramref name="configure"/> adds to its services (e.g. an in-memory trace exporter).
    /// </summary>
    public static async Task<NodeHost> StartAsync(
        IDictionary<string, string?>? settings = null, string? dataDirectory = null, string nodeId = "test-node", string? environmentName = null,
        Action<WebApplicationBuilder>? configure = null, int port = 0)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var data = dataDirectory ?? owned!.Path;
        // The hashing embedder keeps functional tests fast; MiniLM has its own tests.
        var overrides = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["embeddings:provider"] = "hashing",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }
        var app = NodeApplication.Build(new NodeArguments(Port: port, Host: "127.0.0.1", NodeId: nodeId, DataDirectory: data), overrides, environmentName, configure);
        await app.StartAsync();
        return new NodeHost(app, data, owned);
    }

    /// <summary>A loopback port free right now (for nodes that must know each other's address before they start).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? workspace = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (workspace is not null)
        {
            request.Headers.Add("X-Workspace-ID", workspace);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? workspace = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (workspace is not null)
        {
            request.Headers.Add("X-Workspace-ID", workspace);
        }

        return Client.SendAsync(request);
    }

    public async Task<T> GetJsonAsync<T>(string path, string? workspace = null)
    {
        using var response = await GetAsync(path, workspace);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>Waits until background embedding (and clustering) has caught up with every write.</summary>
    public Task WaitForEmbeddingsAsync() =>
        App.Services.GetRequiredService<ContextLite.Embeddings.EmbeddingWorker>().WaitIdleAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _ownedData?.Dispose();
    }
}
