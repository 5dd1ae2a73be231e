using System.Text.Json;

namespace ContextLite.Gateway.Routing;

/// <summary>
/// The workspace an MCP <c>tools/call</c> names in its arguments. On the node such an argument wins over the
/// connection's header, so the gateway must route by it too: otherwise a tool call for workspace B on a connection
/// for workspace A would be served (and an <c>add_documents</c> written) on A's node.
/// </summary>
internal static class McpToolWorkspace
{
    public const string Path = "/mcp";

    /// <summary>Whether <paramref name="path"/> is the MCP endpoint, at <c>/mcp</c> or <c>/workspace/{id}/mcp</c>.</summary>
    public static bool IsMcp(string? path) =>
        path is not null && (path.Equals(Path, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(ContextLite.Workspaces.WorkspaceResolver.PathPrefix, StringComparison.OrdinalIgnoreCase) && path.EndsWith(Path, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>params.arguments.workspace</c> of a JSON-RPC <c>tools/call</c>, or null.</summary>
    public static string? Find(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("method", out var method) && method.ValueEquals("tools/call")
                && root.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.Object
                && arguments.TryGetProperty("workspace", out var workspace) && workspace.ValueKind == JsonValueKind.String
                && workspace.GetString() is { Length: > 0 } id
                    ? id
                    : null;
        }
        catch (JsonException)
        {
            // Malformed JSON is the node's to report; for routing it names no workspace.
            return null;
        }
    }
}
