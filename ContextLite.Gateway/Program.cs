// The gateway (YARP, consistent hash on the workspace) arrives with the cluster issue. Until then it only
// resolves the workspace of a request the way the node does, so that routing can be built on the same answer.
using ContextLite.Workspaces;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddSingleton(new WorkspaceResolver());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/health", () => TypedResults.Ok(new { status = "healthy", role = "gateway", routing = "not yet implemented" }));
app.Run();
