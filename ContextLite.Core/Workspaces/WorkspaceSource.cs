namespace ContextLite.Workspaces;

/// <summary>Where a request's workspace came from, in order of precedence.</summary>
public enum WorkspaceSource
{
    /// <summary><c>/workspace/{id}/api/v1/...</c>.</summary>
    Path,

    /// <summary>The <c>X-Workspace-ID</c> header.</summary>
    Header,

    /// <summary>The <c>?workspace=</c> query parameter.</summary>
    Query,

    /// <summary>The last segment of the body's <c>workspace_path</c>, slugged.</summary>
    BodyPath,

    /// <summary>A <c>workspace=&lt;id&gt;</c> comment in the User-Agent, or a configured User-Agent map.</summary>
    UserAgent,

    /// <summary>Nothing named a workspace.</summary>
    Default,
}
