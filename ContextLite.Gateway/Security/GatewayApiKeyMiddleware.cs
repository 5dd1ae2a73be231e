using ContextLite.Gateway.Api;
using ContextLite.Gateway.Diagnostics;
using ContextLite.Security;

namespace ContextLite.Gateway.Security;

/// <summary>
/// The node's key check, at the gateway: the same <see cref="ApiKeyTable"/> and <see cref="AccessPolicy"/>, so a
/// request the node would refuse is refused here first with the same status. The key's headers are forwarded
/// unchanged, and the node checks them again (and each workspace the request names).
/// </summary>
internal sealed class GatewayApiKeyMiddleware(RequestDelegate next, ApiKeyTable keys, ILogger<GatewayApiKeyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var decision = AccessPolicy.Decide(
            keys,
            request.Method,
            request.Path.Value,
            request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
            request.Headers.TryGetValue(ApiKeyCredentials.HeaderName, out var header) ? header.ToString() : null);

        if (decision.Principal is { } principal)
        {
            context.Features.Set(principal);
        }

        switch (decision.Outcome)
        {
            case AccessOutcome.Unauthorized:
                GatewayLog.Refused(logger, request.Method, request.Path.Value ?? "/", StatusCodes.Status401Unauthorized, decision.Detail!);
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await GatewayProblems.Unauthorized(decision.Detail!).ExecuteAsync(context);
                return;
            case AccessOutcome.Forbidden:
                GatewayLog.Refused(logger, request.Method, request.Path.Value ?? "/", StatusCodes.Status403Forbidden, decision.Detail!);
                await GatewayProblems.Forbidden(decision.Detail!).ExecuteAsync(context);
                return;
            default:
                await next(context);
                return;
        }
    }
}
