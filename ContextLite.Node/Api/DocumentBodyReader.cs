using System.Text.Json;
using ContextLite.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary>
/// Reads a document write body: one object, an array, or <c>{"documents": [...]}</c>. Each item is read on
/// its own, so a wrong type in one item is that item's error rather than the whole request's; fields are
/// checked by hand to give messages that name the item and the field.
/// </summary>
internal static class DocumentBodyReader
{
    public static async Task<(DocumentBody? Body, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, int maxItems, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ParseAsync(request, "a JSON document {\"path\", \"content\"} or an array of them", cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return (null, problem);
        }

        using (document)
        {
            return Read(document.RootElement, maxItems);
        }
    }

    /// <summary>Reads a body already parsed (the MCP <c>add_documents</c> tool builds one from its arguments).</summary>
    public static (DocumentBody? Body, ProblemHttpResult? Problem) Read(JsonElement root, int maxItems)
    {
        string? workspacePath = null;
        JsonElement list;
        var isBatch = true;
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                list = root;
                break;
            case JsonValueKind.Object when root.TryGetProperty("documents", out var documents):
                if (documents.ValueKind != JsonValueKind.Array)
                {
                    return (null, Problems.BadRequest("'documents' must be an array of {\"path\", \"content\"} objects."));
                }

                list = documents;
                workspacePath = ReadWorkspacePath(root);
                break;
            case JsonValueKind.Object:
                var single = ReadItem(root, string.Empty);
                return (new DocumentBody([single], IsBatch: false, ReadWorkspacePath(root)), null);
            default:
                return (null, Problems.BadRequest(
                    $"The body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; send a document object, an array of them, or {{\"documents\": [...]}}."));
        }

        var count = list.GetArrayLength();
        if (count == 0)
        {
            return (null, Problems.BadRequest("The batch is empty; send at least one document."));
        }

        if (count > maxItems)
        {
            return (null, Problems.TooLarge(
                $"The batch has {count} documents; the limit is {maxItems} per request (server.max_documents_per_request). Split it."));
        }

        var items = new List<DocumentItem>(count);
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            items.Add(ReadItem(element, $"[{index}]"));
            if (element.ValueKind == JsonValueKind.Object && ReadWorkspacePath(element) is { } itemPath)
            {
                if (workspacePath is not null && workspacePath != itemPath)
                {
                    return (null, Problems.BadRequest(
                        $"Item {index} names workspace_path '{itemPath}' but an earlier one names '{workspacePath}'; one request writes to one workspace."));
                }

                workspacePath = itemPath;
            }

            index++;
        }

        return (new DocumentBody(items, isBatch, workspacePath), null);
    }

    private static DocumentItem ReadItem(JsonElement element, string at)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new DocumentItem(null, $"{Where(at)}must be a JSON object with 'path' and 'content', not a {element.ValueKind.ToString().ToLowerInvariant()}.", null, null);
        }

        var fields = new JsonFields(element, Where(at));
        var id = fields.String("id");
        var path = fields.String("path", required: true);
        var content = fields.String("content", required: true);
        var embedding = fields.Vector("embedding", DocumentRules.MaxEmbeddingDimension);
        var embeddingModel = fields.String("embedding_model");
        string? metadata = null;
        if (element.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind == JsonValueKind.Object && !JsonFields.IsWellFormedText(meta))
            {
                fields.Errors.Add($"{Where(at)}'metadata' is not valid text (invalid UTF-8 bytes or an unpaired surrogate escape); send well-formed UTF-8.");
            }
            else if (meta.ValueKind == JsonValueKind.Object)
            {
                // Stored compact so that re-sending the same metadata with other formatting is a no-op.
                metadata = JsonSerializer.Serialize(meta, NodeJsonElementContext.Default.JsonElement);
            }
            else
            {
                fields.Errors.Add($"{Where(at)}'metadata' must be a JSON object, not a {meta.ValueKind.ToString().ToLowerInvariant()}.");
            }
        }

        return fields.Errors.Count > 0
            ? new DocumentItem(null, string.Join(" ", fields.Errors), id, path)
            : new DocumentItem(new DocumentInput(id, path!, content!, metadata, embedding, embeddingModel), null, id, path);
    }

    private static string? ReadWorkspacePath(JsonElement element) =>
        element.TryGetProperty("workspace_path", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Where(string at) => at.Length == 0 ? string.Empty : $"Item {at}: ";
}
