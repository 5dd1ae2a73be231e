namespace ContextLite.Node.Api;

/// <summary>
/// Which of the two mounts of the API an endpoint belongs to: <c>/api/v1</c> (the workspace comes from the header,
/// query, body or User-Agent) or <c>/workspace/{workspace}/api/v1</c> (from the path). Operation ids must be unique,
/// so the second mount's carry a suffix.
/// </summary>
internal sealed record ApiScope(string Prefix, bool InPath)
{
    public static ApiScope Root { get; } = new("/api/v1", false);

    public static ApiScope Workspace { get; } = new("/workspace/{workspace}/api/v1", true);

    public string Name(string name) => InPath ? name + "InWorkspace" : name;

    public string Describe(string description) => InPath
        ? description + " The workspace is the `{workspace}` path segment."
        : description + " The workspace comes from `X-Workspace-ID`, `?workspace=`, the body's `workspace_path`, the User-Agent, else `default`.";
}
