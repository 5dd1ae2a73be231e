using ContextLite.Workspaces;

namespace ContextLite.Security;

/// <summary>
/// Which requests need a key and which role they need, from the method and path alone, so that the gateway
/// decides exactly as the node does (the node checks again, and also checks each workspace the request names).
/// </summary>
public static class AccessPolicy
{
    /// <summary>The prefix of the cluster's internal endpoints, which have their own (cluster key) check.</summary>
    public const string InternalPrefix = "/internal/";

    private static readonly string[] s_readPosts = ["/api/v1/assemble", "/api/v1/context/assemble", "/api/v1/search"];

    /// <summary><c>/alive</c> and <c>/health</c> answer without a key (health then names no workspace).</summary>
    public static bool IsExempt(string? path) =>
        IsSegment(path, "/alive") || IsSegment(path, "/health");

    /// <summary>Paths under <c>/internal/</c>: not for API keys.</summary>
    public static bool IsInternal(string? path) =>
        path is not null && (path.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase)
            || path.Equals(InternalPrefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The role a request needs: admin to delete a workspace, write for other changes, read for the rest.</summary>
    public static ApiKeyRole RequiredRole(string method, string? path)
    {
        var rest = WithoutWorkspacePrefix(path ?? "/");
        if (HttpMethodIs(method, "GET") || HttpMethodIs(method, "HEAD") || HttpMethodIs(method, "OPTIONS"))
        {
            return ApiKeyRole.Read;
        }

        if (HttpMethodIs(method, "DELETE") && rest.StartsWith("/api/v1/workspaces", StringComparison.OrdinalIgnoreCase))
        {
            return ApiKeyRole.Admin;
        }

        // MCP is JSON-RPC over POST: the tool decides (add_documents needs write), reading is the floor.
        if (IsSegment(rest, "/mcp"))
        {
            return ApiKeyRole.Read;
        }

        foreach (var read in s_readPosts)
        {
            if (HttpMethodIs(method, "POST") && IsSegment(rest, read))
            {
                return ApiKeyRole.Read;
            }
        }

        return ApiKeyRole.Write;
    }

    /// <summary>Decides a request: open, exempt, internal, allowed, or why not (401 or 403).</summary>
    /// <param name="table">The configured keys.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path.</param>
    /// <param name="authorization">The <c>Authorization</c> header.</param>
    /// <param name="apiKeyHeader">The <c>X-API-Key</c> header.</param>
    public static AccessDecision Decide(ApiKeyTable table, string method, string? path, string? authorization, string? apiKeyHeader)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (IsInternal(path))
        {
            return new AccessDecision(AccessOutcome.Internal, null, null);
        }

        if (!table.Enabled)
        {
            return new AccessDecision(AccessOutcome.Open, null, null);
        }

        var key = ApiKeyCredentials.Extract(authorization, apiKeyHeader);
        var principal = table.Authenticate(key);
        if (IsExempt(path))
        {
            return new AccessDecision(AccessOutcome.Exempt, principal, null);
        }

        if (principal is null)
        {
            return new AccessDecision(
                AccessOutcome.Unauthorized,
                null,
                key is null
                    ? $"An API key is required: send 'Authorization: Bearer <key>' or '{ApiKeyCredentials.HeaderName}: <key>'."
                    : "The API key is not valid.");
        }

        var required = RequiredRole(method, path);
        return principal.Allows(required)
            ? new AccessDecision(AccessOutcome.Allowed, principal, null)
            : new AccessDecision(
                AccessOutcome.Forbidden,
                principal,
                $"The key '{principal.Name}' has role {Name(principal.Role)}; {method.ToUpperInvariant()} {path} needs {Name(required)}.");
    }

    /// <summary>The 403 detail for a key that may not use <paramref name="workspace"/>.</summary>
    public static string WorkspaceForbidden(ApiKeyPrincipal principal, WorkspaceId workspace)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return $"The key '{principal.Name}' may not use workspace '{workspace.Value}'.";
    }

    /// <summary>The role as configured: <c>read</c>, <c>write</c>, <c>admin</c>.</summary>
    public static string Name(ApiKeyRole role) => role.ToString().ToLowerInvariant();

    private static string WithoutWorkspacePrefix(string path)
    {
        if (!path.StartsWith(WorkspaceResolver.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }

        var end = path.IndexOf('/', WorkspaceResolver.PathPrefix.Length);
        return end < 0 ? "/" : path[end..];
    }

    private static bool IsSegment(string? path, string segment) =>
        path is not null && path.StartsWith(segment, StringComparison.OrdinalIgnoreCase)
        && (path.Length == segment.Length || path[segment.Length] == '/');

    private static bool HttpMethodIs(string method, string expected) => string.Equals(method, expected, StringComparison.OrdinalIgnoreCase);
}
