using System.Buffers;
using System.Diagnostics;
using ContextLite.Clustering;
using ContextLite.Node.Api;
using ContextLite.Search;
using ContextLite.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Indexing;

/// <summary>
/// <c>/internal/v1/workspaces/{id}/…</c>, for the indexer only (cluster key, see <see cref="ClusterKeyFilter"/>;
/// the gateway never forwards <c>/internal</c>): the workspace's vectors out as a binary stream, and clusters
/// built from them back in, swapped in atomically.
/// </summary>
internal static class InternalApi
{
    public const string Prefix = "/internal/v1";

    public const string IndexerHeader = "X-ContextLite-Indexer";

    /// <summary>Rows per write of the vector stream (≈ 1.5 MB at 384 dimensions).</summary>
    private const int StreamBatch = 1024;

    public static WebApplication MapInternalApi(this WebApplication app)
    {
        // Cluster-internal (cluster key, never through the gateway): not part of the public API document.
        var workspace = app.MapGroup(Prefix + "/workspaces/{id}").AddEndpointFilter<ClusterKeyFilter>().ExcludeFromDescription();
        workspace.MapGet("/vectors", GetVectors);
        workspace.MapPut("/clusters", PutClustersAsync);
        return app;
    }

    private static Results<PushStreamHttpResult, ProblemHttpResult> GetVectors(string id, NodeServices node)
    {
        if (!WorkspaceContext.TryParse(id, out var workspace, out var problem))
        {
            return problem;
        }

        if (node.Catalog.TryOpen(workspace) is not { } store)
        {
            return Problems.NotFound($"Workspace '{workspace}' does not exist on node {node.Identity.NodeId}.");
        }

        if (node.Vectors.Get(store) is not { } index)
        {
            return Problems.NotFound($"Workspace '{workspace}' has no vectors yet.");
        }

        var export = index.Export();
        return TypedResults.Stream(stream => WriteVectorsAsync(export, stream), IndexWire.VectorsMediaType);
    }

    private static async Task WriteVectorsAsync(VectorExport export, Stream stream)
    {
        int dim = export.Dimension;
        var header = new byte[IndexWire.VectorsHeaderBytes];
        IndexWire.WriteVectorsHeader(header, dim, export.Count);
        await stream.WriteAsync(header);

        long[] ids = ArrayPool<long>.Shared.Rent(StreamBatch);
        float[] vectors = ArrayPool<float>.Shared.Rent(StreamBatch * dim);
        byte[] bytes = ArrayPool<byte>.Shared.Rent(StreamBatch * IndexWire.VectorRowBytes(dim));
        try
        {
            int rows;
            while ((rows = export.Read(ids.AsSpan(0, StreamBatch), vectors.AsSpan(0, StreamBatch * dim))) > 0)
            {
                int length = IndexWire.WriteVectorRows(ids.AsSpan(0, rows), vectors.AsSpan(0, rows * dim), dim, bytes);
                await stream.WriteAsync(bytes.AsMemory(0, length));
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<float>.Shared.Return(vectors);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static async Task<Results<Ok<ClusterSwapResponse>, ProblemHttpResult>> PutClustersAsync(
        string id, HttpContext context, NodeServices node, IndexDirtyTracker tracker, IOptions<InternalOptions> options, CancellationToken cancellationToken)
    {
        if (!WorkspaceContext.TryParse(id, out var workspace, out var problem))
        {
            return problem;
        }

        if (node.Catalog.TryOpen(workspace) is not { } store)
        {
            return Problems.NotFound($"Workspace '{workspace}' does not exist on node {node.Identity.NodeId}.");
        }

        // Assignments for millions of vectors outgrow the public API's body limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = IndexWire.ClustersHeaderBytes + (options.Value.MaxVectors * 12L) + (64L << 20);
        }

        ClusterPush push;
        try
        {
            push = await IndexWire.ReadClustersAsync(context.Request.Body, options.Value.MaxVectors, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return Problems.BadRequest(ex.Message, "Invalid cluster push");
        }

        if (node.Vectors.Get(store) is not { } index)
        {
            return Problems.Conflict($"Workspace '{workspace}' has no vectors to attach clusters to.");
        }

        if (push.Dimension != index.Dimension)
        {
            return Problems.Conflict($"The clusters have {push.Dimension} dimensions; workspace '{workspace}' holds {index.Dimension}-dimension vectors.");
        }

        var assignments = new Dictionary<long, int>(push.Ids.Length);
        for (int i = 0; i < push.Ids.Length; i++)
        {
            assignments[push.Ids[i]] = push.Clusters[i];
        }

        var started = Stopwatch.GetTimestamp();
        int assignedAfter;
        try
        {
            assignedAfter = index.AttachClusters(push.Centroids, push.K, assignments);
        }
        catch (ArgumentException ex)
        {
            return Problems.BadRequest(ex.Message, "Invalid cluster push");
        }

        var builtBy = context.Request.Headers[IndexerHeader].ToString() is { Length: > 0 and <= 128 } name ? name : "indexer";
        var stats = new ClusterBuildStats(builtBy, push.Ids.Length, push.Iterations, push.Inertia, push.Seconds);
        try
        {
            if (index.ExportClusters() is { } clusters)
            {
                // The memory index already holds the new clusters: an indexer that dies now must not cancel the save,
                // or memory and file would disagree until the next restart silently went back to the old set.
                await store.SaveClustersAsync(clusters.Centroids, clusters.K, index.Dimension, clusters.Assignments, stats, CancellationToken.None);
            }
        }
        catch (WorkspaceDeletedException)
        {
            return Problems.NotFound($"Workspace '{workspace}' was deleted while its clusters were swapped in.");
        }

        tracker.Report(workspace, 0);
        var (version, _, _) = store.ClusterBuildInfo();
        return TypedResults.Ok(new ClusterSwapResponse(
            workspace.Value, version, push.K, index.Count, assignedAfter, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }
}

/// <summary>The answer to a cluster push: the new cluster version, and how many vectors the push did not cover
/// (written after the indexer's snapshot) and were given their nearest centroid.</summary>
internal sealed record ClusterSwapResponse(string Workspace, long ClustersVersion, int K, int Vectors, int AssignedAfterSnapshot, double SwapMs);
