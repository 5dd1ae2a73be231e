using System.Reflection;
using ContextLite.Node.Cluster;
using ContextLite.Node.Quotas;
using ContextLite.Security;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary>
/// <c>/health</c> in the seed's shape: node status, cluster view, and per-workspace counts. With an
/// <c>X-Workspace-ID</c> header (or any other workspace identification) it reports only that workspace. With API keys
/// configured it needs no key, but only a valid key sees workspaces (those the key may use); without one the
/// <c>workspaces</c> section is left out.
/// </summary>
/// <remarks>
/// <c>cluster.leader_node</c> is the holder of the Redis lease (<see cref="ClusterMembership"/>), or this node
/// without Redis; <c>cluster_size</c> the live members in Redis, else the configured endpoints, else 1;
/// <c>load_factor</c> the API requests in flight over the node's admission capacity (<c>max_concurrent_queries</c>).
/// Per workspace, request counters come from <see cref="WorkspaceActivity"/> (since the node started),
/// <c>memory_mb</c> is its in-memory vector index plus its in-process assemble cache (what <c>max_memory_mb</c>
/// bounds) and <c>storage_mb</c> its files on disk. <c>memory</c> (for callers allowed to see workspaces) is the
/// process's RSS next to the GC heap, to tell managed from native growth.
/// </remarks>
internal static class HealthApi
{
    private static readonly string s_version =
        typeof(HealthApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithTags("Health")
            .WithSummary("Node health in the seed's shape")
            .WithDescription("Status, node id, cluster view (leader, size, load factor) and per-workspace counts; with a workspace "
                + "header or `?workspace=`, only that workspace. Clients probe it to discover nodes.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return endpoints;
    }

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> HealthAsync(
        HttpContext context, NodeServices node, QuotaService quotas, ClusterMembership membership, WorkspaceActivity activity,
        ApiKeyTable keys, CancellationToken cancellationToken)
    {
        var now = node.Time.GetUtcNow();
        var principal = context.Features.Get<ApiKeyPrincipal>();
        // With keys configured, a caller without a valid one learns that the node is up, not what it holds.
        var anonymous = keys.Enabled && principal is null;
        var scoped = !anonymous && context.Request.Headers.ContainsKey(WorkspaceResolver.HeaderName)
            || context.Request.Query.ContainsKey(WorkspaceResolver.QueryName);
        IReadOnlyList<WorkspaceId> ids;
        if (scoped)
        {
            if (!WorkspaceContext.TryResolve(context, node.Resolver, null, out var one, out var problem))
            {
                return problem;
            }

            ids = [one];
        }
        else
        {
            ids = anonymous ? [] : [.. node.Catalog.List().Where(id => principal is null || principal.CanAccess(id))];
        }

        var workspaces = new SortedDictionary<string, WorkspaceHealth>(StringComparer.Ordinal);
        var active = 0;
        foreach (var id in ids)
        {
            var described = await WorkspacesApi.DescribeOrNullAsync(node, id, cancellationToken);
            var lastAccess = described?.LastAccess;
            var idle = lastAccess is null ? TimeSpan.MaxValue : now - lastAccess.Value;
            if (idle < TimeSpan.FromMinutes(5))
            {
                active++;
            }

            var seen = activity.Get(id.Value);
            workspaces[id.Value] = new WorkspaceHealth(
                described is not null,
                described?.Documents ?? 0,
                described?.Chunks ?? 0,
                described?.BytesOnDisk ?? 0,
                WorkspacesApi.TierOf(node, id),
                lastAccess?.ToUnixTimeSeconds(),
                AccessPattern(idle),
                seen?.ActiveRequests ?? 0,
                seen?.QueryCount ?? 0,
                Math.Round(seen?.AvgResponseMs ?? 0, 3),
                described is not null && seen is not null ? Megabytes(IndexBytes(node, id) + node.CacheLedger.Bytes(id.Value)) : 0,
                Megabytes(described?.BytesOnDisk ?? 0));
        }

        var cluster = node.Cluster;
        var view = membership.View;
        var configuredSize = cluster.Enabled ? Math.Max(1, cluster.Discovery.Endpoints.Count) : 1;
        // Degraded: quotas are configured to be cluster-wide but Redis does not answer, so limits are this node's alone.
        var health = new HealthResponse(
            quotas.Degraded ? "degraded" : "healthy",
            node.Identity.NodeId,
            s_version,
            (long)(now - node.Identity.StartedAt).TotalSeconds,
            new ClusterHealth(
                cluster.Enabled,
                node.Identity.NodeId,
                view is { Members.Count: > 0 } ? view.Members.Count : configuredSize,
                view?.Leader ?? node.Identity.NodeId,
                Math.Round((double)activity.ActiveRequests / Math.Max(1, quotas.Gate.Capacity), 4),
                cluster.Discovery.Method,
                cluster.LoadBalancing.Strategy),
            anonymous ? null : Memory(),
            anonymous ? null : new WorkspacesHealth(workspaces.Count, active, workspaces))
        {
            Replication = node.Replication.Enabled ? await ReplicationOfAsync(node, anonymous ? [] : ids) : null,
        };
        return TypedResults.Ok(health);
    }

    private static async Task<ReplicationHealth> ReplicationOfAsync(NodeServices node, IReadOnlyList<WorkspaceId> ids)
    {
        var replication = node.Replication;
        var names = ids.Select(i => i.Value).ToList();
        var records = await replication.PrimariesOfAsync(names);
        var workspaces = new SortedDictionary<string, WorkspaceReplicationHealth>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var workspace = names[i];
            var replicas = replication.ReplicasOf(workspace);
            if (records[i] is { } record && record.Node == replication.NodeId)
            {
                long? head = null;
                try
                {
                    head = node.Catalog.TryOpen(ids[i])?.ReplicationHead();
                }
                catch (WorkspaceDeletedException)
                {
                }

                var acked = replicas.Where(n => n != replication.NodeId).ToDictionary(n => n, n => replication.AckedBy(workspace, n), StringComparer.Ordinal);
                workspaces[workspace] = new WorkspaceReplicationHealth("primary", record.Node, record.Epoch, replicas, head, head, 0, false, acked);
            }
            else if (replication.Following(workspace) is { } progress)
            {
                long? head = progress.Head == long.MaxValue ? null : progress.Head;
                workspaces[workspace] = new WorkspaceReplicationHealth(
                    "replica", records[i]?.Node ?? progress.PrimaryNode, records[i]?.Epoch, replicas, head, progress.Applied,
                    head is { } h ? Math.Max(0, h - progress.Applied) : null, progress.Resyncing, null);
            }
            else
            {
                workspaces[workspace] = new WorkspaceReplicationHealth("unassigned", records[i]?.Node, records[i]?.Epoch, replicas, null, null, null, false, null);
            }
        }

        var options = replication.Options;
        return new ReplicationHealth(
            options.Factor, options.WriteConsistency, [.. options.Peers.Keys.Order(StringComparer.Ordinal)], replication.Failovers,
            replication.UnderReplicated().Count, [.. names.Where(n => !replication.HoldsCopy(n))], workspaces);
    }

    // The last GC's view of the heap (no collection is forced); RSS from the kernel, as a soak's sampler would read it.
    private static MemoryHealth Memory()
    {
        var gc = GC.GetGCMemoryInfo();
        return new MemoryHealth(
            Megabytes(Environment.WorkingSet),
            Megabytes(gc.HeapSizeBytes),
            Megabytes(gc.TotalCommittedBytes),
            Megabytes(gc.FragmentedBytes),
            Megabytes(GC.GetTotalAllocatedBytes()),
            GC.CollectionCount(2));
    }

    private static double Megabytes(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 3);

    // Only for workspaces used since the node started: asking an unused workspace for its index would load it
    // from disk just to report it; an index is in memory only once the workspace has been used anyway.
    private static long IndexBytes(NodeServices node, WorkspaceId id)
    {
        var store = node.Catalog.TryOpen(id);
        try
        {
            return store is null ? 0 : node.Vectors.Get(store)?.MemoryBytes ?? 0;
        }
        catch (WorkspaceDeletedException)
        {
            return 0;
        }
    }

    // Recency as a stand-in for frequency until per-workspace request metrics exist.
    private static string AccessPattern(TimeSpan idle) =>
        idle < TimeSpan.FromMinutes(1) ? "high-frequency"
        : idle < TimeSpan.FromDays(1) ? "normal"
        : "archive";
}
