using System.Globalization;
using ContextLite.Cluster;
using ContextLite.Gateway.Api;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using ContextLite.Gateway.Sessions;
using ContextLite.Security;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;

namespace ContextLite.Gateway.Routing;

/// <summary>
/// The first step of the proxy pipeline: resolves the workspace (400 when invalid, 403 when the request's API key may
/// not use it), asks
/// <see cref="WorkspaceHashPolicy"/> for its node and narrows YARP's candidates to it, or answers 503
/// naming the node when the workspace's owner is down. A sticky session's pin is read here (it is async;
/// YARP's policies are not) and honoured by <see cref="WorkspaceRouter"/>.
/// </summary>
/// <remarks>
/// YARP's load-balancing step calls a policy only when two or more destinations are available: with one
/// healthy node left it would send every workspace there, and with none it answers an empty 503. Routing
/// here, before that step, keeps placement exact in both cases; the step then sees one candidate.
/// </remarks>
internal sealed class WorkspaceRoutingMiddleware(
    RequestWorkspaceResolver resolver,
    IEnumerable<ILoadBalancingPolicy> policies,
    IOptions<ClusterOptions> cluster,
    GatewayTelemetry telemetry,
    StickySessions sessions,
    PrimaryLookup primaries,
    ILogger<WorkspaceRoutingMiddleware> logger)
{
    private readonly ILoadBalancingPolicy _policy = policies.First(p => p.Name == WorkspaceHashPolicy.Name);

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var resolution = await resolver.ResolveAsync(context);
        if (!resolution.IsValid)
        {
            await GatewayProblems.BadRequest(resolution.Error!, "Invalid workspace id").ExecuteAsync(context);
            return;
        }

        // A request that names no workspace may be one that is not about a workspace (the list of workspaces, which
        // the node filters by the key): the node decides those, as it resolves `default` itself where it matters.
        if (resolution.Source != WorkspaceSource.Default
            && context.Features.Get<ApiKeyPrincipal>() is { } principal && !principal.CanAccess(resolution.Id))
        {
            await GatewayProblems.Forbidden(AccessPolicy.WorkspaceForbidden(principal, resolution.Id)).ExecuteAsync(context);
            return;
        }

        var feature = new WorkspaceRoutingFeature(resolution.Id)
        {
            IsWrite = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)),
        };
        context.Features.Set(feature);
        if (primaries.Enabled && await primaries.PrimaryOfAsync(resolution.Id.Value) is { } primary)
        {
            feature.Primary = primary.Node;
        }

        if (sessions.SessionOf(context.Request) is { } session && sessions.IsSticky(resolution.Id.Value))
        {
            feature.Session = session;
            feature.PinnedNode = await sessions.PinnedNodeAsync(session, context.RequestAborted);
        }

        var proxy = context.GetReverseProxyFeature();
        var chosen = _policy.PickDestination(context, proxy.Route.Cluster!, proxy.AvailableDestinations);
        if (chosen is null)
        {
            var selection = feature.Selection;
            var detail = selection?.Error ?? $"No node is available for workspace '{resolution.Id.Value}'.";
            var retryAfter = GatewayProxyConfig.HealthInterval(cluster.Value);
            GatewayLog.WorkspaceUnavailable(logger, resolution.Id.Value, selection?.Owner ?? "(none)");
            telemetry.Unavailable(selection);
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await GatewayProblems.Unavailable(detail, selection?.Owner).ExecuteAsync(context);
            return;
        }

        proxy.AvailableDestinations = chosen;
        if (feature.Session is { } pinned && !feature.StickyHit && feature.Selection?.NodeId is { } node)
        {
            // First request of the session, or its node lost the workspace or its health: pin to this node.
            await sessions.PinAsync(pinned, node, context.RequestAborted);
        }

        await next();
        if (context.Response.StatusCode == StatusCodes.Status421MisdirectedRequest)
        {
            primaries.Forget(resolution.Id.Value);
        }
    }
}
