using ContextLite.Cluster;
using ContextLite.Gateway.Api;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using ContextLite.Gateway.Health;
using ContextLite.Gateway.Routing;
using ContextLite.Gateway.Security;
using ContextLite.Gateway.Sessions;
using ContextLite.Security;
using ContextLite.Workspaces;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

namespace ContextLite.Gateway.Hosting;

/// <summary>Everything the gateway registers and maps, in one place.</summary>
internal static class GatewayServiceRegistration
{
    /// <summary>The header that tells a node the resource tier of the request's workspace.</summary>
    public const string ResourceTierHeader = "X-Resource-Tier";

    /// <summary>
    /// Options (<c>cluster</c> bound the way the node binds it, <c>gateway</c>), the workspace router, and YARP
    /// with routes and destinations from configuration: <c>gateway.nodes</c> (Aspire service discovery) or
    /// <c>cluster.discovery.endpoints</c> (static).
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        // `--config configs/cluster.yaml`: the same seed schema the nodes read (discovery, affinity, load_balancing).
        if (configuration["config"] is { Length: > 0 } file)
        {
            builder.Configuration.AddYamlFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        // The nodes' variables (CONTEXTLITE_security__api_keys__0__hash) configure the gateway the same way.
        builder.Configuration.AddEnvironmentVariables(prefix: "CONTEXTLITE_");

        services.AddOptions<ClusterOptions>().Configure(o => BindCluster(configuration, o)).ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidation>();
        services.AddSingleton(sp => new ApiKeyTable(sp.GetRequiredService<IOptions<SecurityOptions>>().Value));
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidation>();
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddProblemDetails();
        services.AddSingleton(sp => new WorkspaceResolver(
            configuration.GetSection("workspaces:user_agent_map").Get<Dictionary<string, string>>()));
        services.AddSingleton<RequestWorkspaceResolver>();
        services.AddSingleton<WorkspaceRouter>();
        services.AddSingleton<WorkspaceRoutingMiddleware>();
        services.AddSingleton<GatewayTelemetry>();
        services.AddSingleton<NodeHealthClient>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayRedis>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayRedis>());
        services.AddSingleton<StickySessions>();
        services.AddSingleton<PrimaryLookup>();
        services.AddSingleton<ILoadBalancingPolicy, WorkspaceHashPolicy>();
        services.AddSingleton<IActiveHealthCheckPolicy, ThresholdActiveHealthPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveFailuresPassiveHealthPolicy>();

        // The proxy's routes and destinations are fixed at start: read the same sections the options bind.
        var cluster = new ClusterOptions();
        BindCluster(configuration, cluster);
        var gateway = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var proxy = services.AddReverseProxy()
            .LoadFromMemory(GatewayProxyConfig.Routes(), GatewayProxyConfig.Clusters(cluster, gateway))
            .AddTransforms(context => context.AddRequestTransform(ForwardWorkspace));
        if (gateway.Nodes.Count > 0)
        {
            proxy.AddServiceDiscoveryDestinationResolver();
        }

        return builder;
    }

    /// <summary>
    /// The API-key check, the gateway's <c>/health</c> and the proxy, with workspace routing ahead of YARP's load
    /// balancing. YARP forwards <c>Authorization</c> and <c>X-API-Key</c> as they came, so the node checks the same key.
    /// </summary>
    public static WebApplication MapGatewayEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keys = app.Services.GetRequiredService<ApiKeyTable>();
        if (!keys.Enabled)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ContextLite.Gateway.Security");
            app.Lifetime.ApplicationStarted.Register(() => GatewayLog.OpenAccess(logger));
        }

        app.UseMiddleware<GatewayApiKeyMiddleware>();
        app.MapGatewayHealthApi();
        // The nodes' /internal endpoints are for the indexer only; the proxy routes never match them, and this
        // says so explicitly (with a problem body) instead of relying on the route table staying that way.
        app.Map("/internal/{**rest}", () => GatewayProblems.NotFound("Internal endpoints are not served through the gateway."));
        var routing = app.Services.GetRequiredService<WorkspaceRoutingMiddleware>();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(UnreachableNodeProblems.InvokeAsync);
            pipeline.Use((context, next) => routing.InvokeAsync(context, next));
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        return app;
    }

    // The seed's cluster.yaml allows affinity and resource_limits at the top level too (as the node binds it).
    private static void BindCluster(IConfiguration configuration, ClusterOptions options)
    {
        configuration.GetSection(ClusterOptions.Section).Bind(options);
        configuration.GetSection("resource_limits").Bind(options.ResourceLimits);
        configuration.GetSection("affinity").Bind(options.Affinity);
    }

    // The node resolves the workspace again; sending the id the gateway routed by makes both agree even
    // when the gateway found it in the body or the User-Agent.
    private static ValueTask ForwardWorkspace(RequestTransformContext context)
    {
        var feature = context.HttpContext.Features.Get<WorkspaceRoutingFeature>();
        if (feature is not null)
        {
            RequestTransform.RemoveHeader(context, WorkspaceResolver.HeaderName);
            RequestTransform.AddHeader(context, WorkspaceResolver.HeaderName, feature.Workspace.Value);
            if (feature.Selection is { } selection)
            {
                RequestTransform.RemoveHeader(context, ResourceTierHeader);
                RequestTransform.AddHeader(context, ResourceTierHeader, selection.ResourceTier);
            }
        }

        return ValueTask.CompletedTask;
    }
}
