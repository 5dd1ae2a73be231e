using ContextLite.Node.Indexing;

namespace ContextLite.Node.Api;

/// <summary>Maps the node's public API at <c>/api/v1</c> and again under <c>/workspace/{workspace}/api/v1</c>.</summary>
internal static class NodeEndpoints
{
    public static readonly IReadOnlyList<string> Prefixes = ["/api/v1", "/workspace/{workspace}/api/v1"];

    public static WebApplication MapNodeApi(this WebApplication app)
    {
        foreach (var prefix in Prefixes)
        {
            var api = app.MapGroup(prefix);
            api.MapDocumentsApi();
            api.MapWorkspacesApi();
            api.MapQueryApi();
        }

        app.MapHealthApi();
        app.MapInternalApi();
        return app;
    }
}
