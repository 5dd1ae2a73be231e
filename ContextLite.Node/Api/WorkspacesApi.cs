using ContextLite.Security;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary><c>/api/v1/workspaces</c>: list, describe and delete the workspaces of this node.</summary>
internal static class WorkspacesApi
{
    public static RouteGroupBuilder MapWorkspacesApi(this RouteGroupBuilder api, ApiScope scope)
    {
        const string Tag = "Workspaces";
        var workspaces = api.MapGroup("/workspaces");
        workspaces.MapGet("/", ListForRequestAsync)
            .Document(scope, "ListWorkspaces", Tag, "The workspaces of this node",
                "Every workspace on the node with document, chunk and token counts, bytes on disk, version and last access.", workspaceScoped: false);
        workspaces.MapGet("/{id}", DescribeAsync)
            .Document(scope, "GetWorkspace", Tag, "Describe a workspace",
                "Counts, embedding progress and clusters; 404 when absent (reads never create a workspace).", workspaceScoped: false)
            .ProducesProblem(StatusCodes.Status404NotFound);
        workspaces.MapDelete("/{id}", DeleteAsync)
            .Document(scope, "DeleteWorkspace", Tag, "Delete a workspace with all its data", "204, or 404 when absent.", workspaceScoped: false)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static Task<Ok<WorkspaceListResponse>> ListForRequestAsync(HttpContext context, NodeServices node, CancellationToken cancellationToken) =>
        ListAsync(node, context.Features.Get<ApiKeyPrincipal>(), cancellationToken);

    /// <summary>The node's workspaces; with an API key, only those the key may use.</summary>
    internal static async Task<Ok<WorkspaceListResponse>> ListAsync(NodeServices node, ApiKeyPrincipal? principal, CancellationToken cancellationToken)
    {
        var described = new List<WorkspaceResponse>();
        foreach (var id in node.Catalog.List())
        {
            if (principal is not null && !principal.CanAccess(id))
            {
                continue;
            }

            if (await DescribeOrNullAsync(node, id, cancellationToken) is { } workspace)
            {
                described.Add(workspace);
            }
        }

        return TypedResults.Ok(new WorkspaceListResponse(node.Identity.NodeId, described.Count, described));
    }

    private static async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> DescribeAsync(
        string id, HttpContext context, NodeServices node, CancellationToken cancellationToken)
    {
        if (!WorkspaceContext.TryParse(context, id, out var workspace, out var problem))
        {
            return problem;
        }

        return await DescribeOrNullAsync(node, workspace, cancellationToken) is { } described
            ? TypedResults.Ok(described)
            : Problems.NotFound($"Workspace '{workspace}' does not exist on node {node.Identity.NodeId}.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, HttpContext context, NodeServices node, Indexing.IndexDirtyTracker tracker, ILogger<NodeServices> logger, CancellationToken cancellationToken)
    {
        if (!WorkspaceContext.TryParse(context, id, out var workspace, out var problem))
        {
            return problem;
        }

        var (refused, primary) = await node.Replication.CheckWriteAsync(workspace, context);
        if (refused is not null)
        {
            return refused;
        }

        if (!await DropAsync(node, tracker, workspace, cancellationToken))
        {
            return Problems.NotFound($"Workspace '{workspace}' does not exist on node {node.Identity.NodeId}.");
        }

        if (primary is { } held)
        {
            // A new epoch: the replicas' pulls learn the workspace is gone, and a workspace created again under this
            // name later starts its copies from a snapshot rather than continuing the deleted one's log.
            await node.Replication.TryClaimAsync(workspace.Value, held.Epoch, isFailover: false);
            node.Replication.Changes.Pulse();
        }

        Diagnostics.NodeLog.WorkspaceDeleted(logger, workspace.Value);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Deletes the workspace's files and forgets it everywhere this node keeps state for it (vectors, cache ledger, index
    /// tracker, replication); false when it did not exist. The API's delete and a replica dropping its copy both use it.
    /// </summary>
    internal static async Task<bool> DropAsync(NodeServices node, Indexing.IndexDirtyTracker tracker, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        if (!await node.Catalog.DeleteAsync(workspace, cancellationToken))
        {
            return false;
        }

        node.Vectors.Forget(workspace);
        node.CacheLedger.Forget(workspace.Value);
        tracker.Forget(workspace);
        node.Replication.Forget(workspace.Value);
        return true;
    }

    /// <summary>Describes a workspace; null when it does not exist (or was deleted meanwhile).</summary>
    internal static async Task<WorkspaceResponse?> DescribeOrNullAsync(NodeServices node, WorkspaceId id, CancellationToken cancellationToken)
    {
        var store = node.Catalog.TryOpen(id);
        if (store is null)
        {
            return null;
        }

        try
        {
            var stats = await store.GetStatsAsync(node.Catalog.LastAccess(id), cancellationToken);
            var model = store.EmbeddingModel;
            var (chunks, embedded) = store.EmbeddingProgress();
            var (clusterVersion, builtAt, chunksAtBuild) = store.ClusterBuildInfo();
            var k = store.ClusterCount();
            var build = store.ReadClusterBuildStats() is { } last
                ? new ClusterBuildResponse(last.BuiltBy, last.Vectors, last.Iterations, last.Inertia, last.Seconds)
                : null;
            return new WorkspaceResponse(
                stats.Id, stats.Documents, stats.Chunks, stats.Tokens, stats.BytesOnDisk, stats.Version, stats.SchemaVersion,
                stats.CreatedAt, stats.UpdatedAt, stats.LastAccess, TierOf(node, id),
                new EmbeddingProgressResponse(model?.Model, model?.Dimension, embedded, chunks - embedded, node.Embeddings.IsQueued(id)),
                k == 0 ? null : new ClustersResponse(k, clusterVersion, DateTimeOffset.FromUnixTimeMilliseconds(builtAt), chunksAtBuild, build));
        }
        catch (WorkspaceDeletedException)
        {
            return null;
        }
    }

    internal static string TierOf(NodeServices node, WorkspaceId id) =>
        node.Cluster.Affinity.Rules.TryGetValue(id.Value, out var rule) && rule.ResourceTier is { } tier
            ? tier
            : node.Cluster.Affinity.DefaultTier;
}
