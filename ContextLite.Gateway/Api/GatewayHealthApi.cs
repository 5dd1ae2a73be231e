using ContextLite.Cluster;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Routing;
using ContextLite.Gateway.Sessions;
using ContextLite.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy;

namespace ContextLite.Gateway.Api;

/// <summary>
/// The gateway's <c>/health</c>: asks every configured node for its <c>/health</c> in parallel and reports
/// the cluster: <c>healthy</c> when all answer healthy, <c>unhealthy</c> (503) when none does, else <c>degraded</c>
/// (also when Redis is configured but unreachable). <c>leader_node</c> is the holder of the nodes' Redis lease.
/// With API keys configured, the workspace placement lists only the workspaces the caller's key may use: none without one.
/// </summary>
internal static class GatewayHealthApi
{
    public static IEndpointRouteBuilder MapGatewayHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", HealthAsync).WithName(nameof(HealthAsync));
        return endpoints;
    }

    private static async Task<JsonHttpResult<GatewayHealthResponse>> HealthAsync(
        HttpContext context, IProxyStateLookup proxy, NodeHealthClient client, WorkspaceRouter router, GatewayRedis redis, StickySessions sessions,
        ApiKeyTable keys, CancellationToken cancellationToken)
    {
        // The caller's key goes to each node, which then names only the workspaces that key may use (none without one).
        var authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
        var apiKey = context.Request.Headers.TryGetValue(ApiKeyCredentials.HeaderName, out var h) ? h.ToString() : null;
        var principal = context.Features.Get<ApiKeyPrincipal>();
        var anonymous = keys.Enabled && principal is null;
        var destinations = proxy.TryGetCluster(GatewayProxyConfig.ClusterId, out var cluster)
            ? cluster.DestinationsState.AllDestinations
            : [];
        var available = cluster?.DestinationsState.AvailableDestinations ?? [];
        var leader = redis.LeaderAsync();
        var reports = await Task.WhenAll(destinations.Select(d =>
            client.GetAsync(NodeDestination.NodeIdOf(d.DestinationId), d.Model.Config.Address, authorization, apiKey, cancellationToken)));

        var nodes = new SortedDictionary<string, NodeHealthSummary>(StringComparer.Ordinal);
        var placement = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var primaries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var underReplicated = 0;
        var healthy = 0;
        for (var i = 0; i < destinations.Count; i++)
        {
            var destination = destinations[i];
            var report = reports[i];
            var node = NodeDestination.NodeIdOf(destination.DestinationId);
            if (report.Error is null && string.Equals(report.Status, "healthy", StringComparison.OrdinalIgnoreCase))
            {
                healthy++;
            }

            nodes[node] = new NodeHealthSummary(
                report.Status,
                destination.Model.Config.Address,
                available.Contains(destination),
                destination.ConcurrentRequestCount,
                report.LoadFactor,
                anonymous ? 0 : report.Workspaces.Count,
                report.Error);
            underReplicated += report.UnderReplicated ?? 0;
            foreach (var workspace in report.PrimaryOf)
            {
                if (!anonymous && (principal is null || principal.CanAccess(workspace)))
                {
                    primaries[workspace] = node;
                }
            }

            foreach (var workspace in report.Workspaces)
            {
                if (anonymous || principal is not null && !principal.CanAccess(workspace))
                {
                    continue;
                }

                placement.TryAdd(workspace, node);
            }
        }

        foreach (var (workspace, primary) in primaries)
        {
            placement[workspace] = primary;   // With replication, a workspace is where its primary is.
        }

        // Redis configured but not answering: routing works, but sessions are pinned per gateway replica only.
        var status = destinations.Count > 0 && healthy == destinations.Count ? "healthy" : healthy > 0 ? "degraded" : "unhealthy";
        if (status == "healthy" && redis.Degraded)
        {
            status = "degraded";
        }

        var response = new GatewayHealthResponse(
            status,
            destinations.Count,
            healthy,
            LeaderNode: await leader,
            NodeSelector.NameOf(router.Selector.Strategy),
            nodes,
            new WorkspacePlacementSummary(placement.Count, placement),
            new SessionsSummary(sessions.StoreName, redis.Configured, redis.Degraded, (long)sessions.Ttl.TotalSeconds))
        {
            Replication = router.Selector.ReplicationFactor > 1
                ? new ReplicationSummary(router.Selector.ReplicationFactor, underReplicated, primaries)
                : null,
        };
        return TypedResults.Json(
            response,
            GatewayJsonContext.Default.GatewayHealthResponse,
            statusCode: status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
