using ContextLite.Cluster;
using ContextLite.Workspaces;

namespace ContextLite.Gateway.Routing;

/// <summary>The workspace a proxied request was resolved to, and the routing decision made for it.</summary>
internal sealed class WorkspaceRoutingFeature(WorkspaceId workspace)
{
    public WorkspaceId Workspace { get; } = workspace;

    /// <summary>Set by <see cref="WorkspaceRouter"/>; null until routed.</summary>
    public NodeSelection? Selection { get; set; }
}
