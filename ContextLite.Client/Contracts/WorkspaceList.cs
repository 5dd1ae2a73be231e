namespace ContextLite.Client.Contracts;

/// <summary>The workspaces of the node that answered.</summary>
public sealed record WorkspaceList(string NodeId, int Total, IReadOnlyList<WorkspaceSummary> Workspaces);

/// <summary>A workspace's counts.</summary>
public sealed record WorkspaceSummary(string Id, long Documents, long Chunks, long Tokens, long BytesOnDisk, long Version);
