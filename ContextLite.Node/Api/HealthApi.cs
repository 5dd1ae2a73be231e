using System.Reflection;
using ContextLite.Node.Quotas;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary>
/// <c>/health</c> in the seed's shape: node status, cluster view, and per-workspace counts. With an
/// <c>X-Workspace-ID</c> header (or any other workspace identification) it reports only that workspace.
/// </summary>
internal static class HealthApi
{
    private static readonly string s_version =
        typeof(HealthApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", HealthAsync).WithName(nameof(HealthAsync));
        return endpoints;
    }

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> HealthAsync(
        HttpContext context, NodeServices node, QuotaService quotas, CancellationToken cancellationToken)
    {
        var now = node.Time.GetUtcNow();
        var scoped = context.Request.Headers.ContainsKey(WorkspaceResolver.HeaderName)
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
            ids = node.Catalog.List();
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

            workspaces[id.Value] = new WorkspaceHealth(
                described is not null,
                described?.Documents ?? 0,
                described?.Chunks ?? 0,
                described?.BytesOnDisk ?? 0,
                WorkspacesApi.TierOf(node, id),
                lastAccess?.ToUnixTimeSeconds(),
                AccessPattern(idle));
        }

        var cluster = node.Cluster;
        // Degraded: quotas are configured to be cluster-wide but Redis does not answer, so limits are this node's alone.
        var health = new HealthResponse(
            quotas.Degraded ? "degraded" : "healthy",
            node.Identity.NodeId,
            s_version,
            (long)(now - node.Identity.StartedAt).TotalSeconds,
            new ClusterHealth(
                cluster.Enabled,
                node.Identity.NodeId,
                cluster.Enabled ? Math.Max(1, cluster.Discovery.Endpoints.Count) : 1,
                node.Identity.NodeId,
                0,
                cluster.Discovery.Method,
                cluster.LoadBalancing.Strategy),
            new WorkspacesHealth(workspaces.Count, active, workspaces));
        return TypedResults.Ok(health);
    }

    // Recency as a stand-in for frequency until per-workspace request metrics exist.
    private static string AccessPattern(TimeSpan idle) =>
        idle < TimeSpan.FromMinutes(1) ? "high-frequency"
        : idle < TimeSpan.FromDays(1) ? "normal"
        : "archive";
}
