using ContextLite.Cluster;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace ContextLite.Gateway.Routing;

/// <summary>
/// Maps a request's workspace to one YARP destination with <see cref="HashRing"/> and <see cref="NodeSelector"/>.
/// </summary>
/// <remarks>
/// The ring is built from <c>ClusterState.DestinationsState.AllDestinations</c> (every configured node),
/// never from the available list YARP hands to policies, which holds only healthy destinations: a ring of
/// healthy nodes would reshuffle every workspace whenever one node flaps. Health and load are applied by the
/// selector. The ring is rebuilt only when YARP swaps the destination list (configuration or discovery change).
/// </remarks>
internal sealed class WorkspaceRouter(IOptions<ClusterOptions> cluster, IOptions<GatewayOptions> gateway, GatewayTelemetry telemetry)
{
    private readonly NodeSelector _selector = new(cluster.Value, gateway.Value.ReplicationFactor);
    private RingSnapshot? _snapshot;

    public NodeSelector Selector => _selector;

    public DestinationState? Route(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> available)
    {
        var feature = context.Features.Get<WorkspaceRoutingFeature>();
        if (feature is null)
        {
            return null;
        }

        var snapshot = SnapshotOf(cluster);
        var capacity = (double)gateway.Value.NodeCapacity;
        var selection = _selector.Select(feature.Workspace.Value, snapshot.Ring, node =>
        {
            var destination = FirstAvailable(available, node);
            return destination is null
                ? new NodeLoad(false)
                : new NodeLoad(true, destination.ConcurrentRequestCount, destination.ConcurrentRequestCount / capacity);
        });
        if (selection.Succeeded && feature.Primary is { } primary)
        {
            selection = ApplyPrimary(selection, primary, feature, available);
        }
        else if (selection.Succeeded && feature.PinnedNode is { } pinned)
        {
            selection = ApplyPin(selection, pinned, available);
            feature.StickyHit = string.Equals(selection.NodeId, pinned, StringComparison.Ordinal);
        }

        feature.Selection = selection;

        if (!selection.Succeeded)
        {
            return null;
        }

        if (feature.StickyHit)
        {
            telemetry.StickyHit(selection);
        }

        telemetry.Routed(selection);
        return FirstAvailable(available, selection.NodeId!);
    }

    /// <summary>
    /// A session's pin overrides the strategy's choice only within what the selector allows: the pinned node must
    /// be one of the workspace's replicas (it holds the data) and available (healthy); otherwise the strategy's
    /// choice stands and the session is re-pinned to it.
    /// </summary>
    internal static NodeSelection ApplyPin(NodeSelection selection, string pinned, IReadOnlyList<DestinationState> available)
    {
        if (string.Equals(selection.NodeId, pinned, StringComparison.Ordinal)
            || !selection.Replicas.Contains(pinned, StringComparer.Ordinal)
            || FirstAvailable(available, pinned) is null)
        {
            return selection;
        }

        return selection with { NodeId = pinned, IsFailover = false, Overloaded = false };
    }

    /// <summary>
    /// With replication, the recorded primary takes the writes, the reads of <c>workspace_hash</c> (which prefers it) and
    /// the reads of a sticky session (so it reads its own writes); other reads keep the strategy's replica. A write whose
    /// primary is not available fails (503, the failover names a new primary within the nodes' failover timeout) rather
    /// than reaching a replica that would refuse it.
    /// </summary>
    internal NodeSelection ApplyPrimary(NodeSelection selection, string primary, WorkspaceRoutingFeature feature, IReadOnlyList<DestinationState> available)
    {
        // The primary may be outside the placement for a while after the cluster's nodes changed: it holds the data
        // and takes the writes until it has handed the workspace over, so it is followed all the same.
        var wanted = feature.IsWrite || feature.Session is not null || _selector.Strategy == RoutingStrategy.WorkspaceHash;
        if (!wanted)
        {
            return selection;
        }

        if (FirstAvailable(available, primary) is null)
        {
            return feature.IsWrite
                ? selection with { NodeId = null, Error = $"The primary of workspace '{selection.Workspace}', {primary}, is unavailable; a replica takes over within the failover timeout." }
                : selection;
        }

        feature.StickyHit = feature.PinnedNode == primary;
        return selection with { NodeId = primary, IsFailover = false, Overloaded = false };
    }

    /// <summary>The ring of every configured node (for <c>/health</c> and the router).</summary>
    public HashRing RingOf(ClusterState cluster) => SnapshotOf(cluster).Ring;

    private RingSnapshot SnapshotOf(ClusterState cluster)
    {
        var all = cluster.DestinationsState.AllDestinations;
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || !ReferenceEquals(snapshot.Source, all))
        {
            snapshot = new RingSnapshot(all, new HashRing(all.Select(d => NodeDestination.NodeIdOf(d.DestinationId)), gateway.Value.VirtualNodes));
            Volatile.Write(ref _snapshot, snapshot);
        }

        return snapshot;
    }

    // Under service discovery one node id may expand to several addresses; any available one serves it.
    private static DestinationState? FirstAvailable(IReadOnlyList<DestinationState> available, string node)
    {
        for (var i = 0; i < available.Count; i++)
        {
            var id = available[i].DestinationId;
            if (id.StartsWith(node, StringComparison.Ordinal) && (id.Length == node.Length || id[node.Length] == '['))
            {
                return available[i];
            }
        }

        return null;
    }

    private sealed record RingSnapshot(IReadOnlyList<DestinationState> Source, HashRing Ring);
}
