using ContextLite.Node.Api;
using ContextLite.Node.Configuration;
using ContextLite.Node.Diagnostics;
using ContextLite.Node.Mcp;

namespace ContextLite.Node.Hosting;

/// <summary>Builds the node's web application from command-line arguments; used by <c>serve</c> and by tests.</summary>
internal static class NodeApplication
{
    /// <summary>Creates the application, or returns the configuration problems that prevent it.</summary>
    /// <param name="arguments">The command line.</param>
    /// <param name="overrides">Configuration keys that win over every other source (tests).</param>
    /// <param name="environmentName">The host environment; <c>ASPNETCORE_ENVIRONMENT</c> (else Production) when null.</param>
    /// <param name="configure">Runs last on the builder, e.g. to add a test exporter.</param>
    public static WebApplication Build(
        NodeArguments arguments,
        IDictionary<string, string?>? overrides = null,
        string? environmentName = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = environmentName,
        });

        var problems = NodeConfiguration.Apply(builder.Configuration, arguments);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        builder.AddServiceDefaults(NodeTelemetry.MeterName);
        builder.AddNodeServices();
        builder.Services.AddNodeMcp();
        builder.Services.AddNodeOpenApi();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseNodePipeline();
        app.MapDefaultEndpoints();
        app.MapNodeApi();
        app.MapNodeMcp();
        app.MapNodeOpenApi();
        return app;
    }
}
