using ContextLite.Node.Api;
using ContextLite.Workspaces;

namespace ContextLite.Node.Cluster;

/// <summary>
/// Counts every <c>/api/…</c> and <c>/workspace/{id}/api/…</c> request in <see cref="WorkspaceActivity"/>
/// under the workspace it names, resolved by <see cref="WorkspaceContext"/> exactly as the API resolves it
/// (path, header, query, User-Agent).
/// </summary>
/// <remarks>
/// It runs before routing and never reads the body, so a request that names its workspace only by the body's
/// <c>workspace_path</c> counts under the workspace the other methods give (the default one); the gateway
/// forwards <c>X-Workspace-ID</c>, so through it every request counts where it belongs. Workspace management
/// routes (<c>/api/v1/workspaces…</c>) name workspaces in their path and are not counted; neither are requests
/// whose workspace id is invalid (the API answers them 400).
/// </remarks>
internal sealed class WorkspaceActivityMiddleware(RequestDelegate next, WorkspaceActivity activity, WorkspaceResolver resolver, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsCounted(context.Request.Path)
            || !WorkspaceContext.TryResolve(context, resolver, null, out var workspace, out _)
            || activity.Begin(workspace.Value) is not { } counters)
        {
            await next(context);
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            activity.End(counters, time.GetElapsedTime(started));
        }
    }

    internal static bool IsCounted(PathString path)
    {
        var value = path.Value;
        if (value is null)
        {
            return false;
        }

        var api = value.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) ? 0
            : value.StartsWith(WorkspaceResolver.PathPrefix, StringComparison.OrdinalIgnoreCase) ? value.IndexOf("/api/", StringComparison.OrdinalIgnoreCase)
            : -1;
        if (api < 0)
        {
            return false;
        }

        var rest = value.AsSpan(api);
        return !rest.StartsWith("/api/v1/workspaces", StringComparison.OrdinalIgnoreCase);
    }
}
