using ContextLite.Indexer.Api;
using ContextLite.Indexer.Diagnostics;

namespace ContextLite.Indexer.Hosting;

/// <summary>Builds the indexer's web application; used by <c>Program</c> and by tests (with overrides).</summary>
internal static class IndexerApplication
{
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.AddServiceDefaults(IndexerTelemetry.MeterName);
        builder.AddIndexerServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapIndexerHealthApi();
        return app;
    }
}
