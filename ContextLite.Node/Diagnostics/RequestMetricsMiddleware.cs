using ContextLite.Node.Api;
using ContextLite.Workspaces;

namespace ContextLite.Node.Diagnostics;

/// <summary>
/// Records <c>contextlite.requests</c>, <c>contextlite.request.duration</c> and
/// <c>contextlite.requests.active</c> for every request but the probes (<c>/alive</c>, <c>/health</c>,
/// <c>/metrics</c>), tagged with the route template (<c>/api/v1/assemble</c>, not the raw path, so ids do not
/// become series), the method, the status code and the workspace.
/// </summary>
/// <remarks>
/// The workspace tag is empty for requests that name none (listing workspaces); a request whose workspace id is
/// invalid is recorded under <c>invalid</c>.
/// </remarks>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, NodeTelemetry telemetry, WorkspaceResolver resolver, TimeProvider time)
{
    public const string InvalidWorkspace = "invalid";

    public async Task InvokeAsync(HttpContext context)
    {
        if (ServiceDefaultsRegistration.IsProbe(context.Request.Path))
        {
            await next(context);
            return;
        }

        var initial = InitialWorkspace(context);
        var feature = new RequestWorkspaceFeature(initial);
        context.Features.Set(feature);
        telemetry.RequestStarted(initial);
        var started = time.GetTimestamp();
        // Routing runs first in a WebApplication; the exception handler clears the endpoint, so read it now.
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var route = (endpoint ?? context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw
                ? (raw.Length > 1 ? raw.TrimEnd('/') : raw)
                : "unmatched";
            telemetry.RequestFinished(initial, feature.Workspace, route, context.Request.Method, status, time.GetElapsedTime(started));
        }
    }

    private string InitialWorkspace(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var api = path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(WorkspaceResolver.PathPrefix, StringComparison.OrdinalIgnoreCase);
        if (!api || path.StartsWith("/api/v1/workspaces", StringComparison.OrdinalIgnoreCase))
        {
            // Workspace management names its workspace in the route; the handler sets it once parsed.
            return "";
        }

        return WorkspaceContext.TryResolve(context, resolver, null, out var workspace, out _) ? workspace.Value : InvalidWorkspace;
    }
}
