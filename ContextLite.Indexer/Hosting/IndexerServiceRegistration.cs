using ContextLite.Indexer.Api;
using ContextLite.Indexer.Configuration;
using ContextLite.Indexer.Diagnostics;
using ContextLite.Indexer.Rebuilds;
using Microsoft.Extensions.Http.Resilience;

namespace ContextLite.Indexer.Hosting;

/// <summary>Registers the indexer's options, worker, node client, status and JSON.</summary>
internal static class IndexerServiceRegistration
{
    public static WebApplicationBuilder AddIndexerServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IndexerOptions>()
            .Bind(builder.Configuration.GetSection(IndexerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IndexerTelemetry>();
        services.AddSingleton<IndexerStatus>();
        services.AddSingleton<NodeIndexClient>();
        services.AddSingleton<RebuildWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RebuildWorker>());
        services.AddHttpClient(NodeIndexClient.ClientName);
        // A million-vector stream or push takes longer than the defaults' 10 s attempt: allow minutes.
        services.Configure<HttpStandardResilienceOptions>(NodeIndexClient.ClientName + "-standard", o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromMinutes(5);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(15);
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(10);
        });
        services.ConfigureHttpJsonOptions(o =>
        {
            // The resolver brings the generated metadata; the naming comes from these options, so set it here too.
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, IndexerJson.Default);
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        return builder;
    }
}
