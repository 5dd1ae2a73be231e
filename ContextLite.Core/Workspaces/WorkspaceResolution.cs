namespace ContextLite.Workspaces;

/// <summary>The outcome of resolving a request's workspace: an id and its source, or an error.</summary>
public sealed record WorkspaceResolution(WorkspaceId Id, WorkspaceSource Source, string? Error)
{
    /// <summary>True when <see cref="Id"/> is usable.</summary>
    public bool IsValid => Error is null;

    internal static WorkspaceResolution Ok(WorkspaceId id, WorkspaceSource source) => new(id, source, null);

    internal static WorkspaceResolution Invalid(WorkspaceSource source, string error) => new(default, source, error);
}
