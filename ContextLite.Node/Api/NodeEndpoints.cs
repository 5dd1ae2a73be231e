using ContextLite.Node.Indexing;

namespace ContextLite.Node.Api;

/// <summary>Maps the node's public API at <c>/api/v1</c> and again under <c>/workspace/{workspace}/api/v1</c>.</summary>
internal static class NodeEndpoints
{
    public static readonly IReadOnlyList<ApiScope> Scopes = [ApiScope.Root, ApiScope.Workspace];

    public static readonly IReadOnlyList<string> Prefixes = [.. Scopes.Select(s => s.Prefix)];

    public static WebApplication MapNodeApi(this WebApplication app)
    {
        foreach (var scope in Scopes)
        {
            var api = app.MapGroup(scope.Prefix);
            api.MapDocumentsApi(scope);
            api.MapWorkspacesApi(scope);
            api.MapQueryApi(scope);
        }

        app.MapHealthApi();
        app.MapInternalApi();
        ContextLite.Node.Replication.ReplicationApi.MapReplicationApi(app);
        return app;
    }
}
