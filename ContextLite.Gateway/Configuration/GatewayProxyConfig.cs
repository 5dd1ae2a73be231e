using System.Globalization;
using ContextLite.Cluster;
using ContextLite.Gateway.Health;
using ContextLite.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;

namespace ContextLite.Gateway.Configuration;

/// <summary>Turns the cluster and gateway options into YARP routes and the one cluster of nodes.</summary>
internal static class GatewayProxyConfig
{
    public const string ClusterId = "nodes";

    /// <summary>The nodes: service-discovery names when <c>gateway.nodes</c> is set, else the static endpoints.</summary>
    public static IReadOnlyList<NodeDestination> Destinations(ClusterOptions cluster, GatewayOptions gateway)
    {
        if (gateway.Nodes.Count > 0)
        {
            return gateway.Nodes.Where(n => !string.IsNullOrWhiteSpace(n))
                .Select(n => new NodeDestination(n.Trim(), $"http://{n.Trim()}")).ToArray();
        }

        return cluster.Discovery.Endpoints.Select((endpoint, i) => new NodeDestination(
            gateway.StaticNodePrefix + (i + 1).ToString(CultureInfo.InvariantCulture),
            endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint)).ToArray();
    }

    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        new RouteConfig { RouteId = "api", ClusterId = ClusterId, Match = new RouteMatch { Path = "/api/{**rest}" } },
        new RouteConfig { RouteId = "workspace", ClusterId = ClusterId, Match = new RouteMatch { Path = "/workspace/{**rest}" } },
        new RouteConfig { RouteId = "mcp", ClusterId = ClusterId, Match = new RouteMatch { Path = McpToolWorkspace.Path } },
    ];

    public static IReadOnlyList<ClusterConfig> Clusters(ClusterOptions cluster, GatewayOptions gateway)
    {
        var interval = HealthInterval(cluster);
        return
        [
            new ClusterConfig
            {
                ClusterId = ClusterId,
                LoadBalancingPolicy = WorkspaceHashPolicy.Name,

                // YARP's default waits 100 s for a silent node (a stopped node whose port is still held, as under
                // Aspire's proxy); a client should get the 503/504 long before that.
                HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig
                {
                    ActivityTimeout = TimeSpan.FromSeconds(Math.Max(1, gateway.RequestTimeoutSeconds)),
                },
                HealthCheck = new HealthCheckConfig
                {
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true,
                        Interval = interval,
                        Timeout = interval < TimeSpan.FromSeconds(5) ? interval : TimeSpan.FromSeconds(5),
                        Policy = ThresholdActiveHealthPolicy.Name,
                        Path = "/alive",
                    },
                    Passive = new PassiveHealthCheckConfig
                    {
                        Enabled = cluster.LoadBalancing.EnableCircuitBreaker,
                        Policy = ConsecutiveFailuresPassiveHealthPolicy.Name,
                        ReactivationPeriod = interval,
                    },
                },
                Destinations = Destinations(cluster, gateway).ToDictionary(
                    d => d.NodeId, d => new DestinationConfig { Address = d.Address }, StringComparer.OrdinalIgnoreCase),
            },
        ];
    }

    /// <summary><c>load_balancing.health_check_interval</c> in seconds, at least 1.</summary>
    public static TimeSpan HealthInterval(ClusterOptions cluster) =>
        TimeSpan.FromSeconds(Math.Max(1, cluster.LoadBalancing.HealthCheckInterval));
}
