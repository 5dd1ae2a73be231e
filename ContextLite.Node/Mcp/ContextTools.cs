using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextLite.Node.Api;
using ContextLite.Node.Caching;
using ContextLite.Node.Quotas;
using ContextLite.Search;
using ContextLite.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ContextLite.Node.Mcp;

/// <summary>
/// The MCP tools. Each builds the body the HTTP API would receive and runs the API's own code
/// (<see cref="QueryApi"/>, <see cref="DocumentsApi"/>, <see cref="WorkspacesApi"/>), so validation, workspace limits,
/// quotas and the assemble cache are the same; the answer is text for the model with the API's JSON beside it.
/// </summary>
[McpServerToolType]
internal sealed class ContextTools(
    IHttpContextAccessor http, NodeServices node, ContextEngine engine, QuotaService quotas, AssembleCache cache)
{
    private const string WorkspaceHelp =
        "The workspace (e.g. 'my-app'); when left out, the connection's X-Workspace-ID header or /workspace/{id}/mcp path, else 'default'.";

    [McpServerTool(Name = "assemble_context", Title = "Assemble context", ReadOnly = true, OpenWorld = false)]
    [Description("Picks the passages of the workspace's documents that best answer a question within a token budget (relevant, not redundant). "
        + "Returns each passage with its path and line range.")]
    public async Task<CallToolResult> AssembleContextAsync(
        [Description("The question or task, in natural language.")] string query,
        [Description(WorkspaceHelp)] string? workspace = null,
        [Description("The token budget for all passages together (default 4000).")] int maxTokens = 4000,
        [Description("At most this many passages (default 10).")] int maxDocuments = 10,
        [Description("auto (default), lexical, semantic or hybrid.")] string? mode = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["query"] = query, ["max_tokens"] = maxTokens, ["max_documents"] = maxDocuments, ["mode"] = mode };
        using var document = Parse(body);
        var result = await QueryApi.RunAssembleAsync(
            ToolRequest.Detach(http.HttpContext), document.RootElement, workspace, node, engine, quotas, cache, cancellationToken);
        return ToolResults.From(result.Result, NodeJson.Default.AssembleResponse, ToolText.Assemble);
    }

    [McpServerTool(Name = "search", Title = "Search", ReadOnly = true, OpenWorld = false)]
    [Description("Ranked chunks of the workspace's documents for a query (lexical and semantic), without budget selection.")]
    public async Task<CallToolResult> SearchAsync(
        [Description("What to look for.")] string query,
        [Description(WorkspaceHelp)] string? workspace = null,
        [Description("How many chunks (default 10).")] int maxResults = 10,
        [Description("auto (default), lexical, semantic or hybrid.")] string? mode = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["query"] = query, ["k"] = maxResults, ["mode"] = mode };
        using var document = Parse(body);
        var result = await QueryApi.RunSearchAsync(
            ToolRequest.Detach(http.HttpContext), document.RootElement, workspace, node, engine, quotas, cancellationToken);
        return ToolResults.From(result.Result, NodeJson.Default.SearchResponse, ToolText.Search);
    }

    [McpServerTool(Name = "add_documents", Title = "Add documents", Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Adds or updates documents in the workspace (each on its own: one bad document does not stop the others). "
        + "The same path again updates that document.")]
    public async Task<CallToolResult> AddDocumentsAsync(
        [Description("The documents: {path, content, id?}.")] IReadOnlyList<McpDocument> documents,
        [Description(WorkspaceHelp)] string? workspace = null,
        CancellationToken cancellationToken = default)
    {
        var items = new JsonArray();
        foreach (var d in documents)
        {
            items.Add(new JsonObject { ["id"] = d.Id, ["path"] = d.Path, ["content"] = d.Content });
        }

        if (http.HttpContext?.Features.Get<ApiKeyPrincipal>() is { } principal && !principal.Allows(ApiKeyRole.Write))
        {
            return ToolResults.Problem(Problems.Forbidden($"The key '{principal.Name}' has role {AccessPolicy.Name(principal.Role)}; add_documents needs write."));
        }

        using var document = Parse(new JsonObject { ["documents"] = items });
        var (body, problem) = DocumentBodyReader.Read(document.RootElement, node.Server.MaxDocumentsPerRequest);
        if (problem is not null)
        {
            return ToolResults.Problem(problem);
        }

        var result = await DocumentsApi.RunBulkAsync(ToolRequest.Detach(http.HttpContext), body!, workspace, node, cancellationToken);
        return ToolResults.From(result.Result, NodeJson.Default.BatchWriteResponse, ToolText.Added);
    }

    [McpServerTool(Name = "list_workspaces", Title = "List workspaces", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The workspaces on this node with their document, chunk and token counts.")]
    public async Task<CallToolResult> ListWorkspacesAsync(CancellationToken cancellationToken = default)
    {
        var result = await WorkspacesApi.ListAsync(node, http.HttpContext?.Features.Get<ApiKeyPrincipal>(), cancellationToken);
        return ToolResults.From(result, NodeJson.Default.WorkspaceListResponse, ToolText.Workspaces);
    }

    // Nulls are left out, as a client leaving a field out of the HTTP body would.
    private static JsonDocument Parse(JsonObject body)
    {
        foreach (var name in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            body.Remove(name);
        }

        if (body["documents"] is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                if (item["id"] is null)
                {
                    item.Remove("id");
                }
            }
        }

        return JsonDocument.Parse(body.ToJsonString());
    }
}
