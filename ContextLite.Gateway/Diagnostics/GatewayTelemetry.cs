using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContextLite.Cluster;
using ContextLite.ServiceDefaults.Diagnostics;

namespace ContextLite.Gateway.Diagnostics;

/// <summary>
/// The gateway's one <see cref="Meter"/>: requests routed per node and strategy, failovers, sticky hits, refusals,
/// each tagged with the workspace (capped by <see cref="WorkspaceTags"/>). The routing decision is also set on
/// the request's trace span, so a trace shows which node and strategy served it.
/// </summary>
internal sealed class GatewayTelemetry
{
    public const string MeterName = "ContextLite.Gateway";

    private readonly WorkspaceTags _workspaces;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _stickyHits;

    public GatewayTelemetry(IMeterFactory meterFactory, WorkspaceTags workspaces)
    {
        _workspaces = workspaces;
        var meter = meterFactory.Create(MeterName);
        _routed = meter.CreateCounter<long>("contextlite.gateway.routed", "{request}", "Requests routed to a node, by node and strategy.");
        _failovers = meter.CreateCounter<long>("contextlite.gateway.failovers", "{request}", "Requests served by a replica because the owner was down.");
        _stickyHits = meter.CreateCounter<long>("contextlite.gateway.sticky_hits", "{request}", "Requests sent to the node their sticky session is pinned to.");
        _unavailable = meter.CreateCounter<long>("contextlite.gateway.unavailable", "{request}", "Requests refused with 503 because no node of the workspace was up.");
    }

    public void Routed(NodeSelection selection)
    {
        var strategy = NodeSelector.NameOf(selection.Strategy);
        var workspace = _workspaces.For(selection.Workspace);
        _routed.Add(1, new TagList { { "node", selection.NodeId }, { "strategy", strategy }, { "workspace", workspace } });
        if (selection.IsFailover)
        {
            _failovers.Add(1, new TagList { { "node", selection.NodeId }, { "owner", selection.Owner }, { "workspace", workspace } });
        }

        Activity.Current?.SetTag("contextlite.workspace", selection.Workspace)
            .SetTag("contextlite.node", selection.NodeId)
            .SetTag("contextlite.strategy", strategy)
            .SetTag("contextlite.failover", selection.IsFailover);
    }

    public void StickyHit(NodeSelection selection) =>
        _stickyHits.Add(1, new KeyValuePair<string, object?>("node", selection.NodeId), new KeyValuePair<string, object?>("workspace", _workspaces.For(selection.Workspace)));

    public void Unavailable(NodeSelection? selection) =>
        _unavailable.Add(1, new KeyValuePair<string, object?>("node", selection?.Owner));
}
