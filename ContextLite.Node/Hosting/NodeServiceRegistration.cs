using ContextLite.Cluster;
using ContextLite.Clustering;
using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.Selection;
using Microsoft.Extensions.AI;
using ContextLite.Node.Api;
using ContextLite.Node.Caching;
using ContextLite.Node.Configuration;
using ContextLite.Node.Diagnostics;
using ContextLite.Node.Indexing;
using ContextLite.Node.Quotas;
using ContextLite.Node.Security;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Hosting;

/// <summary>Registers the node's services and request pipeline.</summary>
internal static class NodeServiceRegistration
{
    public const string NodeHeader = "X-ContextLite-Node";

    public static WebApplicationBuilder AddNodeServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddOptions<ServerOptions>().Bind(configuration.GetSection(ServerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ChunkingOptions>().Bind(configuration.GetSection(ChunkingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkspaceOptions>().Bind(configuration.GetSection(WorkspaceOptions.Section));
        services.AddOptions<ClusterOptions>().Configure(o => NodeOptionsBinder.BindCluster(configuration, o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidation>();
        services.AddSingleton<IValidateOptions<EmbeddingOptions>, QueryPathOptionsValidation>();
        services.AddSingleton<IValidateOptions<SearchOptions>, QueryPathOptionsValidation>();
        services.AddSingleton<IValidateOptions<SelectionOptions>, QueryPathOptionsValidation>();

        services.AddOptions<SearchOptions>().Bind(configuration.GetSection(SearchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClusteringOptions>().Bind(configuration.GetSection(ClusteringOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SelectionOptions>().Bind(configuration.GetSection(SelectionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmbeddingOptions>().Bind(configuration.GetSection(EmbeddingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ITokenCounter>(TiktokenCounter.Cl100k);
        services.AddSingleton<WorkspaceCatalog>();
        services.AddSingleton(sp => new WorkspaceResolver(sp.GetRequiredService<IOptions<WorkspaceOptions>>().Value.UserAgentMap));
        services.AddSingleton<WorkspaceGauges>();
        services.AddSingleton<NodeTelemetry>();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<NodeServices>();
        services.AddSingleton(sp => EmbeddingRegistration.Create(sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value)!);
        services.AddSingleton<WorkspaceVectors>();
        services.AddSingleton(sp => new ContextEngine(
            sp.GetRequiredService<WorkspaceVectors>(),
            sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>(),
            sp.GetRequiredService<IOptions<SearchOptions>>(),
            sp.GetRequiredService<IOptions<ClusteringOptions>>(),
            sp.GetRequiredService<IOptions<SelectionOptions>>(),
            NodeTelemetry.ActivitySource));
        services.AddSingleton(sp => new EmbeddingWorker(
            sp.GetRequiredService<WorkspaceCatalog>(),
            sp.GetRequiredService<WorkspaceVectors>(),
            sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>(),
            sp.GetRequiredService<IOptions<EmbeddingOptions>>(),
            sp.GetRequiredService<IOptions<ClusteringOptions>>(),
            sp.GetRequiredService<ILogger<EmbeddingWorker>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<EmbeddingService>();
        services.AddNodeSecurity(configuration);
        services.AddQuotaServices(configuration);
        ContextLite.Node.Cluster.ClusterRegistration.AddNodeClusterServices(services, configuration);
        services.AddNodeIndexingServices(configuration);
        ContextLite.Node.Replication.ReplicationRegistration.AddNodeReplication(services, configuration);
        services.AddAssembleCache(configuration);

        services.AddProblemDetails();
        services.AddExceptionHandler<NodeExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => NodeJson.Configure(o.SerializerOptions));

        var server = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });

        if (server.Port is { } port)
        {
            builder.WebHost.UseUrls($"http://{FormatHost(server.Host)}:{port}");
        }
        else if (string.IsNullOrEmpty(configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(configuration["urls"])
                 && string.IsNullOrEmpty(configuration["HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls($"http://{FormatHost(server.Host)}:8080");
        }

        return builder;
    }

    public static WebApplication UseNodePipeline(this WebApplication app)
    {
        var nodeId = app.Services.GetRequiredService<NodeIdentity>().NodeId;
        // Outermost, so that the status recorded is the one the client gets, problems included.
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.Use((context, next) =>
        {
            // OnStarting, not a header set now: the exception handler clears headers before writing a problem.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[NodeHeader] = nodeId;
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNodeSecurity();

        var catalog = app.Services.GetRequiredService<WorkspaceCatalog>();
        app.Lifetime.ApplicationStarted.Register(() => NodeLog.Started(app.Logger, nodeId, catalog.DataDirectory));
        return app;
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
