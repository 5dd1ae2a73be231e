// The indexer (background k-means rebuilds under a Redis lease) arrives with the indexer issue. Until then
// the node builds nothing in the background and this service only reports that it is alive.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/health", () => TypedResults.Ok(new { status = "healthy", role = "indexer", rebuilds = "not yet implemented" }));
app.Run();
