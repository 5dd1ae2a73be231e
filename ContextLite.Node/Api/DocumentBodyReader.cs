using System.Text;
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
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    public static async Task<(DocumentBody? Body, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, int maxItems, CancellationToken cancellationToken)
    {
        if (request.ContentType is not null && !request.HasJsonContentType() && !IsTolerated(request.ContentType))
        {
            return (null, Problems.UnsupportedMediaType($"Content-Type '{request.ContentType}' is not JSON; send application/json."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, s_options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            var detail = request.ContentLength == 0 || ex.BytePositionInLine == 0 && ex.LineNumber == 0 && IsEmptyMessage(ex)
                ? "The request body is empty; send a JSON document {\"path\", \"content\"} or an array of them."
                : $"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)}";
            return (null, Problems.BadRequest(detail, "Malformed JSON"));
        }

        using (document)
        {
            var root = document.RootElement;
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
    }

    private static DocumentItem ReadItem(JsonElement element, string at)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new DocumentItem(null, $"{Where(at)}must be a JSON object with 'path' and 'content', not a {element.ValueKind.ToString().ToLowerInvariant()}.", null, null);
        }

        var errors = new StringBuilder();
        var id = ReadString(element, "id", at, required: false, errors);
        var path = ReadString(element, "path", at, required: true, errors);
        var content = ReadString(element, "content", at, required: true, errors);
        string? metadata = null;
        if (element.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind == JsonValueKind.Object)
            {
                // Stored compact so that re-sending the same metadata with other formatting is a no-op.
                metadata = JsonSerializer.Serialize(meta, NodeJsonElementContext.Default.JsonElement);
            }
            else
            {
                errors.Append($"{Where(at)}'metadata' must be a JSON object, not a {meta.ValueKind.ToString().ToLowerInvariant()}. ");
            }
        }

        return errors.Length > 0
            ? new DocumentItem(null, errors.ToString().TrimEnd(), id, path)
            : new DocumentItem(new DocumentInput(id, path!, content!, metadata), null, id, path);
    }

    private static string? ReadString(JsonElement element, string name, string at, bool required, StringBuilder errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Append($"{Where(at)}'{name}' is required. ");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Append($"{Where(at)}'{name}' must be a string, not a {value.ValueKind.ToString().ToLowerInvariant()}. ");
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            errors.Append($"{Where(at)}'{name}' is not valid text (invalid UTF-8 bytes or an unpaired surrogate escape); send well-formed UTF-8. ");
            return null;
        }
    }

    // curl -d sends application/x-www-form-urlencoded unless told otherwise, and the seed's examples rely on
    // that; a body that is not JSON still fails as malformed JSON with a clear message.
    private static bool IsTolerated(string contentType) =>
        contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    private static string? ReadWorkspacePath(JsonElement element) =>
        element.TryGetProperty("workspace_path", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Where(string at) => at.Length == 0 ? string.Empty : $"Item {at}: ";

    private static bool IsEmptyMessage(JsonException ex) => ex.Message.Contains("input does not contain any JSON tokens", StringComparison.OrdinalIgnoreCase);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
