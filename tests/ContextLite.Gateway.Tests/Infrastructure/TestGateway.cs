using ContextLite.Gateway.Diagnostics;
using ContextLite.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContextLite.Gateway.Tests.Infrastructure;

/// <summary>The gateway in this process, wired exactly as its Program.cs, on a free loopback port.</summary>
public sealed class TestGateway : IAsyncDisposable
{
    private TestGateway(WebApplication app)
    {
        App = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>Starts a gateway over static endpoints; health checks every second so tests see failures quickly.</summary>
    public static async Task<TestGateway> StartAsync(
        IEnumerable<string> endpoints, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Path.GetTempPath() });
        var config = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["cluster:load_balancing:health_check_interval"] = "1",
            ["cluster:load_balancing:enable_circuit_breaker"] = "true",
        };
        var i = 0;
        foreach (var endpoint in endpoints)
        {
            config[$"cluster:discovery:endpoints:{i++}"] = endpoint;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.AddServiceDefaults(GatewayTelemetry.MeterName);
        builder.AddGatewayServices();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGatewayEndpoints();
        await app.StartAsync();
        return new TestGateway(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
