using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContextLite.AppHost.Tests.Infrastructure;

/// <summary>The few API calls the end-to-end tests make, through the gateway or straight to a node.</summary>
internal static class ContextLiteRequests
{
    public const string NodeHeader = "X-ContextLite-Node";
    public const string WorkspaceHeader = "X-Workspace-ID";

    public static Task<HttpResponseMessage> IngestAsync(this HttpClient client, string workspace, string path, string content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
        {
            Content = JsonContent.Create(new JsonObject { ["path"] = path, ["content"] = content }),
        };
        request.Headers.Add(WorkspaceHeader, workspace);
        return client.SendAsync(request, cancellationToken);
    }

    public static Task<HttpResponseMessage> AssembleAsync(this HttpClient client, string workspace, string query, int maxTokens, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/assemble")
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["max_tokens"] = maxTokens, ["max_documents"] = 5 }),
        };
        request.Headers.Add(WorkspaceHeader, workspace);
        return client.SendAsync(request, cancellationToken);
    }

    /// <summary>A read that never creates the workspace; its answer names the node that owns it.</summary>
    public static Task<HttpResponseMessage> ListDocumentsAsync(this HttpClient client, string workspace, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents?limit=1");
        request.Headers.Add(WorkspaceHeader, workspace);
        return client.SendAsync(request, cancellationToken);
    }

    public static string? ServedBy(this HttpResponseMessage response) =>
        response.Headers.TryGetValues(NodeHeader, out var values) ? values.FirstOrDefault() : null;

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, CancellationToken cancellationToken) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))
        ?? throw new InvalidOperationException($"{(int)response.StatusCode}: empty body.");
}
