using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace ContextLite.Gateway.Routing;

/// <summary>
/// YARP load-balancing policy: the destination that owns the request's workspace on the consistent-hash
/// ring, after affinity rules, health and the configured strategy (see <see cref="WorkspaceRouter"/>).
/// </summary>
internal sealed class WorkspaceHashPolicy(WorkspaceRouter router) : ILoadBalancingPolicy
{
    /// <summary>The policy's name in cluster configuration.</summary>
    public static string Name => nameof(WorkspaceHashPolicy);

    string ILoadBalancingPolicy.Name => Name;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations) =>
        router.Route(context, cluster, availableDestinations);
}
