using System.Runtime.CompilerServices;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace ContextLite.Gateway.Health;

/// <summary>
/// Active health (probes of each node's <c>/alive</c>) with hysteresis: a node is taken out after
/// <c>unhealthy_threshold</c> consecutive failed probes and put back after <c>healthy_threshold</c>
/// consecutive good ones, so one slow probe neither drops a node nor lets a flapping one straight back in.
/// </summary>
/// <remarks>YARP's built-in <c>ConsecutiveFailures</c> policy has no healthy threshold: one good probe restores a node.</remarks>
internal sealed class ThresholdActiveHealthPolicy(
    IDestinationHealthUpdater updater, IOptions<GatewayOptions> options, ILogger<ThresholdActiveHealthPolicy> logger) : IActiveHealthCheckPolicy
{
    private readonly ConditionalWeakTable<DestinationState, ProbeStreak> _streaks = [];

    /// <summary>The policy's name in cluster configuration.</summary>
    public static string Name => nameof(ThresholdActiveHealthPolicy);

    string IActiveHealthCheckPolicy.Name => Name;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        if (probingResults.Count == 0)
        {
            return;
        }

        var unhealthyAfter = options.Value.UnhealthyThreshold;
        var healthyAfter = options.Value.HealthyThreshold;
        var updates = new List<NewActiveDestinationHealth>(probingResults.Count);
        foreach (var result in probingResults)
        {
            var destination = result.Destination;
            var ok = result.Exception is null && result.Response is { IsSuccessStatusCode: true };
            var streak = _streaks.GetOrCreateValue(destination);
            var current = destination.Health.Active;
            DestinationHealth next;
            lock (streak)
            {
                streak.Record(ok);
                next = ok
                    ? current == DestinationHealth.Unhealthy && streak.Successes < healthyAfter ? DestinationHealth.Unhealthy : DestinationHealth.Healthy
                    : streak.Failures >= unhealthyAfter ? DestinationHealth.Unhealthy : current;
            }

            if (next != current)
            {
                GatewayLog.NodeHealthChanged(logger, destination.DestinationId, next.ToString(), ok ? "probe succeeded" : result.Exception?.Message ?? $"HTTP {(int?)result.Response?.StatusCode}");
            }

            updates.Add(new NewActiveDestinationHealth(destination, next));
        }

        updater.SetActive(cluster, updates);
    }

    private sealed class ProbeStreak
    {
        public int Successes { get; private set; }

        public int Failures { get; private set; }

        public void Record(bool ok)
        {
            Successes = ok ? Successes + 1 : 0;
            Failures = ok ? 0 : Failures + 1;
        }
    }
}
