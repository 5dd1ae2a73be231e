namespace ContextLite.Node.Diagnostics;

/// <summary>
/// The workspace a request's metrics are recorded under: resolved from the path, header or query when the
/// request starts, then replaced by the API's own resolution (which also reads the body's <c>workspace_path</c>).
/// </summary>
internal sealed class RequestWorkspaceFeature(string workspace)
{
    public string Workspace { get; set; } = workspace;
}
