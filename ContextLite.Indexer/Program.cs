using ContextLite.Indexer.Api;
using ContextLite.Indexer.Diagnostics;
using ContextLite.Indexer.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IndexerTelemetry.MeterName);
builder.AddIndexerServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIndexerHealthApi();
app.Run();
