using ContextLite.Node.Api;
using ContextLite.Security;

namespace ContextLite.Node.Security;

/// <summary>
/// Checks every request's API key with the shared <see cref="AccessPolicy"/>: 401 without a valid key, 403 when the
/// key's role does not allow the request. A recognised key's <see cref="ApiKeyPrincipal"/> is put in the request's
/// features, where <see cref="WorkspaceContext"/> checks each workspace the request names against it.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyTable keys, ILogger<ApiKeyMiddleware> logger)
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
                SecurityLog.Refused(logger, request.Method, request.Path.Value ?? "/", StatusCodes.Status401Unauthorized, decision.Detail!);
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Problems.Unauthorized(decision.Detail!).ExecuteAsync(context);
                return;
            case AccessOutcome.Forbidden:
                SecurityLog.Refused(logger, request.Method, request.Path.Value ?? "/", StatusCodes.Status403Forbidden, decision.Detail!);
                await Problems.Forbidden(decision.Detail!).ExecuteAsync(context);
                return;
            default:
                await next(context);
                return;
        }
    }
}
