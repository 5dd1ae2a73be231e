using ContextLite.ServiceDefaults.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Prometheus;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire service defaults shared by every ContextLite service: OpenTelemetry (OTLP when an endpoint is
/// configured, as under the Aspire dashboard), the same meters in Prometheus text on <c>/metrics</c>, service
/// discovery, HTTP resilience and the liveness probe.
/// </summary>
public static class ServiceDefaultsRegistration
{
    /// <summary>The liveness endpoint: answers 200 while the process can serve requests.</summary>
    public const string AlivePath = "/alive";

    /// <summary>
    /// Adds the shared defaults to a host. <paramref name="telemetryNames"/> name the service's own
    /// <see cref="Meter"/>s and <see cref="System.Diagnostics.ActivitySource"/>s (one name each by convention,
    /// e.g. <c>ContextLite.Node</c>): exported by OTLP and, for meters, on <c>/metrics</c>.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, params string[] telemetryNames)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WorkspaceTags>();
        builder.Services.AddSingleton(sp => new PrometheusMeterBridge(
            sp.GetRequiredService<IMeterFactory>(), telemetryNames, builder.Environment.ApplicationName));
        builder.ConfigureOpenTelemetry(telemetryNames);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c> and the Prometheus endpoint (<c>telemetry:metrics_path</c>, <c>/metrics</c>) on every
    /// service, so the indexer has them as the node and the gateway do; each service maps its own
    /// <c>/health</c> with its richer shape.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        var bridge = app.Services.GetRequiredService<PrometheusMeterBridge>();
        app.MapMetrics(app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsPath, bridge.Registry);
        return app;
    }

    /// <summary>
    /// True for the probes (<c>/alive</c>, <c>/health</c>, <c>/metrics</c>): they run every few seconds, and
    /// tracing them would drown the traces that matter.
    /// </summary>
    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments(AlivePath) || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    /// <summary>
    /// OpenTelemetry logs, metrics and traces go to the OTLP endpoint when one is configured (Aspire sets it). Without
    /// one nothing would receive them, so the SDK is not registered at all: the service's own meters still reach
    /// <c>/metrics</c> through <see cref="ContextLite.ServiceDefaults.Diagnostics.PrometheusMeterBridge"/>, and <c>telemetry:tracing</c> turns
    /// tracing on for an exporter added in process.
    /// </summary>
    private static void ConfigureOpenTelemetry<TBuilder>(this TBuilder builder, string[] telemetryNames)
        where TBuilder : IHostApplicationBuilder
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var tracing = otlp || string.Equals(builder.Configuration[ContextLite.ServiceDefaults.Diagnostics.TelemetryOptions.Section + ":tracing"], "true", StringComparison.OrdinalIgnoreCase);
        if (otlp)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });

            builder.Services.AddOpenTelemetry()
                .WithMetrics(metrics =>
                {
                    metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                    foreach (var name in telemetryNames)
                    {
                        metrics.AddMeter(name);
                    }
                });
        }

        if (tracing)
        {
            builder.Services.AddOpenTelemetry()
                .WithTracing(tracing =>
                {
                    tracing.AddSource(builder.Environment.ApplicationName)
                        .AddSource(telemetryNames)
                        .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                        // The gateway's health polls of the nodes are probes too.
                        .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request =>
                            request.RequestUri is null || !IsProbe(new PathString(request.RequestUri.AbsolutePath)));
                });
        }

        if (otlp)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }
}
