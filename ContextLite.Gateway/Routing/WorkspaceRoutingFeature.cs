using ContextLite.Cluster;
using ContextLite.Workspaces;

namespace ContextLite.Gateway.Routing;

/// <summary>The workspace a proxied request was resolved to, and the routing decision made for it.</summary>
internal sealed class WorkspaceRoutingFeature(WorkspaceId workspace)
{
    public WorkspaceId Workspace { get; } = workspace;

    /// <summary>Set by <see cref="WorkspaceRouter"/>; null until routed.</summary>
    public NodeSelection? Selection { get; set; }

    /// <summary>The sticky session the request names, when sessions are sticky for its workspace.</summary>
    public string? Session { get; set; }

    /// <summary>The node <see cref="Session"/> was pinned to before this request, if any.</summary>
    public string? PinnedNode { get; set; }

    /// <summary>With replication: the workspace's primary as recorded in Redis (writes go there), or null.</summary>
    public string? Primary { get; set; }

    /// <summary>True for a request that may change the workspace (anything but GET, HEAD and OPTIONS).</summary>
    public bool IsWrite { get; set; }

    /// <summary>True when the request went to <see cref="PinnedNode"/>.</summary>
    public bool StickyHit { get; set; }
}
