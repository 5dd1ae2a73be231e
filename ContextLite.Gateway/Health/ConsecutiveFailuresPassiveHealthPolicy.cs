using System.Runtime.CompilerServices;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace ContextLite.Gateway.Health;

/// <summary>
/// The circuit breaker (<c>enable_circuit_breaker</c>): passive health from real traffic. After
/// <c>unhealthy_threshold</c> consecutive forwarding failures (connection refused, timeout, reset; not
/// client cancellations or HTTP error statuses, which are answers) the node is opened out of rotation for
/// one health-check interval; then it is half-open (tried again) unless active probes have also failed it.
/// </summary>
internal sealed class ConsecutiveFailuresPassiveHealthPolicy(
    IDestinationHealthUpdater updater,
    IOptions<GatewayOptions> options,
    IOptions<ContextLite.Cluster.ClusterOptions> clusterOptions,
    ILogger<ConsecutiveFailuresPassiveHealthPolicy> logger) : IPassiveHealthCheckPolicy
{
    private readonly ConditionalWeakTable<DestinationState, FailureCount> _failures = [];

    /// <summary>The policy's name in cluster configuration.</summary>
    public static string Name => nameof(ConsecutiveFailuresPassiveHealthPolicy);

    string IPassiveHealthCheckPolicy.Name => Name;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        var failed = error != ForwarderError.None && !context.RequestAborted.IsCancellationRequested;
        var count = _failures.GetOrCreateValue(destination);
        if (!failed)
        {
            Interlocked.Exchange(ref count.Value, 0);
            return;
        }

        if (Interlocked.Increment(ref count.Value) >= options.Value.UnhealthyThreshold)
        {
            Interlocked.Exchange(ref count.Value, 0);
            GatewayLog.NodeHealthChanged(logger, destination.DestinationId, "Unhealthy", $"circuit opened after {options.Value.UnhealthyThreshold} failed requests ({error})");
            updater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, Configuration.GatewayProxyConfig.HealthInterval(clusterOptions.Value));
        }
    }

    private sealed class FailureCount
    {
        public int Value;
    }
}
