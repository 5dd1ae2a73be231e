using System.Buffers;
using System.Text.Json;
using ContextLite.Gateway.Configuration;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Gateway.Routing;

/// <summary>
/// Resolves a request's workspace with the node's own <see cref="WorkspaceResolver"/> (path, header, query,
/// body <c>workspace_path</c>, User-Agent), so the gateway routes by the answer the node stores by.
/// </summary>
/// <remarks>
/// The body is read only when nothing of higher precedence names the workspace, the body looks like JSON
/// and is at most <see cref="GatewayOptions.MaxBodyPeekBytes"/>; it is buffered and rewound so the node
/// receives it unchanged.
/// </remarks>
internal sealed class RequestWorkspaceResolver(WorkspaceResolver resolver, IOptions<GatewayOptions> options)
{
    private const string BodyField = "workspace_path";

    public async ValueTask<WorkspaceResolution> ResolveAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value;
        string? header = request.Headers.TryGetValue(WorkspaceResolver.HeaderName, out var h) ? h.ToString() : null;
        string? query = request.Query.TryGetValue(WorkspaceResolver.QueryName, out var q) ? q.ToString() : null;
        if (WorkspaceRouteId(path) is { } routeId)
        {
            // Describe and delete name their workspace in the route (/api/v1/workspaces/{id}), as the node reads it.
            return resolver.Resolve(new WorkspaceRequest(Path: null, Header: Uri.UnescapeDataString(routeId), Query: null, BodyWorkspacePath: null, UserAgent: null));
        }

        if (McpToolWorkspace.IsMcp(path) && await PeekBodyAsync(request, McpToolWorkspace.Find, context.RequestAborted) is { } tool)
        {
            // As on the node, a tool call's workspace argument wins over the connection's path and header.
            return resolver.Resolve(new WorkspaceRequest(Path: null, Header: tool, Query: null, BodyWorkspacePath: null, UserAgent: null));
        }

        var named = header is not null || query is not null
            || (path is not null && path.StartsWith(WorkspaceResolver.PathPrefix, StringComparison.OrdinalIgnoreCase));
        var bodyPath = named ? null : await PeekBodyAsync(request, FindWorkspacePath, context.RequestAborted);

        return resolver.Resolve(new WorkspaceRequest(
            Path: path,
            Header: header,
            Query: query,
            BodyWorkspacePath: bodyPath,
            UserAgent: request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null));
    }

    /// <summary>The <c>{id}</c> of <c>/api/v1/workspaces/{id}</c>, or null for any other path.</summary>
    internal static string? WorkspaceRouteId(string? path)
    {
        const string Prefix = "/api/v1/workspaces/";
        if (path is null || !path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var id = path[Prefix.Length..].TrimEnd('/');
        return id.Length == 0 || id.Contains('/', StringComparison.Ordinal) ? null : id;
    }

    private delegate string? BodyReader(ReadOnlySpan<byte> json);

    private async ValueTask<string?> PeekBodyAsync(HttpRequest request, BodyReader find, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxBodyPeekBytes;
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method)
            || request.ContentLength is 0 || request.ContentLength > limit || !MayBeJson(request.ContentType))
        {
            return null;
        }

        request.EnableBuffering();
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var read = 0;
            int got;
            while (read <= limit && (got = await request.Body.ReadAsync(buffer.AsMemory(read, limit + 1 - read), cancellationToken)) > 0)
            {
                read += got;
            }

            request.Body.Position = 0;
            return read > limit ? null : find(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The node tolerates curl's default form content type for JSON bodies, so the gateway must too.
    private static bool MayBeJson(string? contentType) =>
        contentType is null
        || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    /// <summary>The top-level <c>workspace_path</c> string of a JSON object, or null.</summary>
    internal static string? FindWorkspacePath(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isField = reader.ValueTextEquals(BodyField);
                if (!reader.Read())
                {
                    return null;
                }

                if (isField)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is the node's to report; for routing it names no workspace.
        }

        return null;
    }
}
