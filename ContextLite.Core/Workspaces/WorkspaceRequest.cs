namespace ContextLite.Workspaces;

/// <summary>
/// The parts of a request that may identify a workspace, as plain strings so that the node and the
/// gateway (and tests) resolve the same way without sharing an HTTP abstraction.
/// </summary>
/// <param name="Path">The decoded request path, e.g. <c>/workspace/docs/api/v1/assemble</c>.</param>
/// <param name="Header">The <c>X-Workspace-ID</c> header value, if any.</param>
/// <param name="Query">The <c>workspace</c> query value, if any.</param>
/// <param name="BodyWorkspacePath">The body's <c>workspace_path</c> field, if any.</param>
/// <param name="UserAgent">The <c>User-Agent</c> header, if any.</param>
public sealed record WorkspaceRequest(
    string? Path = null,
    string? Header = null,
    string? Query = null,
    string? BodyWorkspacePath = null,
    string? UserAgent = null);
