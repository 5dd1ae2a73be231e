using ContextLite.Workspaces;

namespace ContextLite.Storage;

/// <summary>The workspace was deleted while the operation was waiting for it.</summary>
public sealed class WorkspaceDeletedException(WorkspaceId id)
    : InvalidOperationException($"Workspace '{id}' was deleted while this request was in progress; retry to recreate it.")
{
    /// <summary>The deleted workspace.</summary>
    public WorkspaceId Workspace { get; } = id;
}
