using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Api;

/// <summary>Parses a JSON request body with the node's limits, turning every failure into a problem that says what to fix.</summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    /// <param name="request">The request.</param>
    /// <param name="expected">What a valid body looks like, for the empty-body message.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ParseAsync(
        HttpRequest request, string expected, CancellationToken cancellationToken)
    {
        if (request.ContentType is not null && !request.HasJsonContentType() && !IsTolerated(request.ContentType))
        {
            return (null, Problems.UnsupportedMediaType($"Content-Type '{request.ContentType}' is not JSON; send application/json."));
        }

        try
        {
            return (await JsonDocument.ParseAsync(request.Body, s_options, cancellationToken).ConfigureAwait(false), null);
        }
        catch (JsonException ex)
        {
            var detail = request.ContentLength == 0 || ex.BytePositionInLine == 0 && ex.LineNumber == 0 && IsEmptyMessage(ex)
                ? $"The request body is empty; send {expected}."
                : $"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)}";
            return (null, Problems.BadRequest(detail, "Malformed JSON"));
        }
    }

    // curl -d sends application/x-www-form-urlencoded unless told otherwise, and the seed's examples rely on
    // that; a body that is not JSON still fails as malformed JSON with a clear message.
    private static bool IsTolerated(string contentType) =>
        contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    private static bool IsEmptyMessage(JsonException ex) => ex.Message.Contains("input does not contain any JSON tokens", StringComparison.OrdinalIgnoreCase);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
