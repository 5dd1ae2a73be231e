using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextLite.Client.Tests.Infrastructure;

/// <summary>Kestrel on a free loopback port answering every request with <see cref="Handler"/>, recording what came in.</summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, Func<HttpContext, int, Task> handler)
    {
        _app = app;
        Handler = handler;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public Uri BaseAddress { get; }

    /// <summary>Called with the request and its 0-based number among the non-health requests.</summary>
    public Func<HttpContext, int, Task> Handler { get; }

    public List<(string Path, string? Authorization, string? Workspace)> Requests { get; } = [];

    public static async Task<StubServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        StubServer? stub = null;
        app.Run(async context =>
        {
            if (context.Request.Path == "/health")
            {
                await context.Response.WriteAsync("""{"status":"healthy","node_id":"stub"}""");
                return;
            }

            int index;
            lock (stub!.Requests)
            {
                index = stub.Requests.Count;
                stub.Requests.Add((context.Request.Path.Value!, context.Request.Headers.Authorization.ToString(), context.Request.Headers["X-Workspace-ID"].ToString()));
            }

            await stub.Handler(context, index);
        });
        await app.StartAsync();
        stub = new StubServer(app, handler);
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
