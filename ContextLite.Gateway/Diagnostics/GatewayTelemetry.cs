using System.Diagnostics.Metrics;
using ContextLite.Cluster;

namespace ContextLite.Gateway.Diagnostics;

/// <summary>The gateway's one <see cref="Meter"/>: requests routed per node and strategy, failovers, sticky hits, refusals.</summary>
internal sealed class GatewayTelemetry
{
    public const string MeterName = "ContextLite.Gateway";

    private readonly Counter<long> _routed;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _stickyHits;

    public GatewayTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _routed = meter.CreateCounter<long>("contextlite.gateway.routed", "{request}", "Requests routed to a node.");
        _failovers = meter.CreateCounter<long>("contextlite.gateway.failovers", "{request}", "Requests served by a replica because the owner was down.");
        _stickyHits = meter.CreateCounter<long>("contextlite.gateway.sticky_hits", "{request}", "Requests sent to the node their sticky session is pinned to.");
        _unavailable = meter.CreateCounter<long>("contextlite.gateway.unavailable", "{request}", "Requests refused with 503 because no node of the workspace was up.");
    }

    public void Routed(NodeSelection selection)
    {
        var strategy = NodeSelector.NameOf(selection.Strategy);
        _routed.Add(1, new KeyValuePair<string, object?>("node", selection.NodeId), new KeyValuePair<string, object?>("strategy", strategy));
        if (selection.IsFailover)
        {
            _failovers.Add(1, new KeyValuePair<string, object?>("node", selection.NodeId), new KeyValuePair<string, object?>("owner", selection.Owner));
        }
    }

    public void StickyHit(NodeSelection selection) =>
        _stickyHits.Add(1, new KeyValuePair<string, object?>("node", selection.NodeId));

    public void Unavailable(NodeSelection? selection) =>
        _unavailable.Add(1, new KeyValuePair<string, object?>("node", selection?.Owner));
}
