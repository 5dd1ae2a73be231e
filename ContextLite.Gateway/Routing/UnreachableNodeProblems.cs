using System.Globalization;
using ContextLite.Gateway.Api;
using Yarp.ReverseProxy.Forwarder;

namespace ContextLite.Gateway.Routing;

/// <summary>
/// A node that fails while the gateway still counts it healthy (it died between health probes, or a passive
/// failure's reactivation period let one request through) answers like a node already known to be down: a 503
/// problem+json naming it, with <c>Retry-After</c>, instead of YARP's bare 502/504.
/// </summary>
internal static class UnreachableNodeProblems
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (context.Response.HasStarted || context.GetForwarderErrorFeature() is not { } error || !Unreachable(error.Error))
        {
            return;
        }

        var feature = context.Features.Get<WorkspaceRoutingFeature>();
        var node = feature?.Selection?.NodeId;
        var workspace = feature?.Workspace.Value ?? "(unknown)";
        context.Response.Clear();
        context.Response.Headers.RetryAfter = "2";
        await GatewayProblems.Unavailable(
            string.Create(CultureInfo.InvariantCulture, $"Workspace '{workspace}' lives on {node ?? "its node"}, which is unavailable."),
            node).ExecuteAsync(context);
    }

    /// <summary>Failures to reach the node or to get its answer; a client that went away is not one.</summary>
    private static bool Unreachable(ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.ResponseHeaders;
}
