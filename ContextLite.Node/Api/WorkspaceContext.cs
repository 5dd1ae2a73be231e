using System.Diagnostics.CodeAnalysis;
using ContextLite.Node.Diagnostics;
using ContextLite.Security;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary>Resolves a request's workspace with the shared <see cref="WorkspaceResolver"/>.</summary>
internal static class WorkspaceContext
{
    public static bool TryResolve(
        HttpContext context,
        WorkspaceResolver resolver,
        string? bodyWorkspacePath,
        out WorkspaceId workspace,
        [NotNullWhen(false)] out ProblemHttpResult? problem) =>
        TryResolve(context, resolver, null, bodyWorkspacePath, out workspace, out problem);

    /// <summary>As above, but a workspace the caller names explicitly (an MCP tool argument) wins over the request's.</summary>
    public static bool TryResolve(
        HttpContext context,
        WorkspaceResolver resolver,
        string? explicitWorkspace,
        string? bodyWorkspacePath,
        out WorkspaceId workspace,
        [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        if (!string.IsNullOrWhiteSpace(explicitWorkspace))
        {
            return TryParse(context, explicitWorkspace.Trim().ToLowerInvariant(), out workspace, out problem);
        }

        var request = context.Request;
        var resolution = resolver.Resolve(new WorkspaceRequest(
            Path: request.Path.Value,
            Header: request.Headers.TryGetValue(WorkspaceResolver.HeaderName, out var header) ? header.ToString() : null,
            Query: request.Query.TryGetValue(WorkspaceResolver.QueryName, out var query) ? query.ToString() : null,
            BodyWorkspacePath: bodyWorkspacePath,
            UserAgent: request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null));

        if (!resolution.IsValid)
        {
            workspace = default;
            problem = Problems.BadRequest(resolution.Error!, "Invalid workspace id");
            return false;
        }

        workspace = resolution.Id;
        if (!IsAllowed(context, workspace, out problem))
        {
            return false;
        }

        if (context.Features.Get<RequestWorkspaceFeature>() is { } metrics)
        {
            metrics.Workspace = workspace.Value;
        }

        return true;
    }

    /// <summary>Validates a workspace id given as a route value (e.g. <c>/api/v1/workspaces/{id}</c>).</summary>
    public static bool TryParse(string raw, out WorkspaceId workspace, [NotNullWhen(false)] out ProblemHttpResult? problem)
        => TryParse(null, raw, out workspace, out problem);

    /// <summary>As <see cref="TryParse(string, out WorkspaceId, out ProblemHttpResult?)"/>, recording the workspace for the request's metrics.</summary>
    public static bool TryParse(HttpContext? context, string raw, out WorkspaceId workspace, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        if (WorkspaceId.TryCreate(raw, out workspace, out var error))
        {
            problem = null;
            if (context is not null && !IsAllowed(context, workspace, out problem))
            {
                return false;
            }

            if (context?.Features.Get<RequestWorkspaceFeature>() is { } metrics)
            {
                metrics.Workspace = workspace.Value;
            }

            return true;
        }

        problem = Problems.BadRequest(error, "Invalid workspace id");
        return false;
    }

    /// <summary>
    /// False with a 403 when the request's API key may not use <paramref name="workspace"/>. Every way a request
    /// names a workspace (path, header, query, body, User-Agent, route value, MCP argument) passes through here.
    /// </summary>
    public static bool IsAllowed(HttpContext context, WorkspaceId workspace, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        if (context.Features.Get<ApiKeyPrincipal>() is { } principal && !principal.CanAccess(workspace))
        {
            problem = Problems.Forbidden(AccessPolicy.WorkspaceForbidden(principal, workspace));
            return false;
        }

        problem = null;
        return true;
    }
}
