using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextLite.Workspaces;

namespace ContextLite.Node.Cli;

/// <summary>Posts ingest batches to a node's <c>POST /api/v1/documents/bulk</c> and reads the per-item answer.</summary>
internal sealed class IngestClient : IDisposable
{
    // Chunking a full batch on a small machine can take a while; a dead server is caught by the connect timeout.
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(15);
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly Uri _server;
    private readonly Uri _bulk;
    private readonly string _workspace;

    /// <param name="server">The node's base address, ending with '/'.</param>
    /// <param name="workspace">The workspace every batch is written to.</param>
    /// <param name="handler">The HTTP handler (tests); a fresh socket handler when null.</param>
    /// <param name="apiKey">Sent as <c>Authorization: Bearer</c> when set.</param>
    public IngestClient(Uri server, WorkspaceId workspace, HttpMessageHandler? handler = null, string? apiKey = null)
    {
        _server = server;
        _bulk = new Uri(server, "api/v1/documents/bulk");
        _workspace = workspace.Value;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = s_connectTimeout })
        {
            Timeout = s_requestTimeout,
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <summary>
    /// Writes <paramref name="batch"/>. A 413 means the node's request limits are tighter than the batch, so
    /// the batch is sent once more as two halves before giving up.
    /// </summary>
    /// <exception cref="IngestException">The node is unreachable or refused the batch.</exception>
    public async Task<IngestBatchResponse> PostAsync(List<IngestDocument> batch, CancellationToken cancellationToken)
    {
        var whole = await SendAsync(batch, cancellationToken).ConfigureAwait(false);
        if (whole.Response is not null)
        {
            return whole.Response;
        }

        if (batch.Count < 2)
        {
            throw new IngestException($"{whole.TooLarge} (the document '{batch[0].Path}' alone is too large for the server)");
        }

        var half = batch.Count / 2;
        var first = await SendAsync(batch.GetRange(0, half), cancellationToken).ConfigureAwait(false);
        var second = first.Response is null ? first : await SendAsync(batch.GetRange(half, batch.Count - half), cancellationToken).ConfigureAwait(false);
        if (first.Response is null || second.Response is null)
        {
            throw new IngestException($"{first.TooLarge ?? second.TooLarge} (even after splitting the batch in half; try a smaller --batch-size)");
        }

        return Merge(first.Response, second.Response, half);
    }

    public void Dispose() => _http.Dispose();

    private async Task<(IngestBatchResponse? Response, string? TooLarge)> SendAsync(
        List<IngestDocument> batch, CancellationToken cancellationToken)
    {
        // Serialised up front so the request has a Content-Length and the node can refuse an oversized body early.
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(batch, IngestJsonContext.Default.IReadOnlyListIngestDocument));
        body.Headers.ContentType = s_json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _bulk) { Content = body };
        request.Headers.Add(WorkspaceResolver.HeaderName, _workspace);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new IngestException($"cannot reach server {_server}: {ex.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new IngestException($"the request to server {_server} failed: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Both the connect timeout and the request timeout land here; their messages say which it was.
            throw new IngestException($"cannot reach server {_server}: {ex.Message}", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
            {
                return (null, await DescribeAsync(response, cancellationToken).ConfigureAwait(false));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new IngestException(await DescribeAsync(response, cancellationToken).ConfigureAwait(false));
            }

            try
            {
                var result = await response.Content.ReadFromJsonAsync(IngestJsonContext.Default.IngestBatchResponse, cancellationToken).ConfigureAwait(false);
                return (result ?? throw new IngestException($"server {_server} answered {(int)response.StatusCode} with an empty body"), null);
            }
            catch (JsonException ex)
            {
                throw new IngestException($"server {_server} answered {(int)response.StatusCode} with a body that is not a bulk write result: {ex.Message}", ex);
            }
        }
    }

    /// <summary>The status and the problem+json <c>detail</c> (or the start of whatever the body is).</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? detail = null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                detail = Text(problem["detail"]) ?? Text(problem["title"]);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the raw text below is the best there is.
        }

        if (detail is null)
        {
            var trimmed = text.Trim();
            detail = trimmed.Length == 0 ? "(no details)" : trimmed.Length > 300 ? trimmed[..300] + "…" : trimmed;
        }

        return $"server answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail}";
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    private static IngestBatchResponse Merge(IngestBatchResponse first, IngestBatchResponse second, int offset)
    {
        var results = new List<IngestItemResult>((first.Results?.Count ?? 0) + (second.Results?.Count ?? 0));
        if (first.Results is not null)
        {
            results.AddRange(first.Results);
        }

        if (second.Results is not null)
        {
            foreach (var result in second.Results)
            {
                results.Add(result with { Index = result.Index + offset });
            }
        }

        return new IngestBatchResponse(
            first.Workspace ?? second.Workspace,
            first.Added + second.Added,
            first.Updated + second.Updated,
            first.Unchanged + second.Unchanged,
            first.Errors + second.Errors,
            results);
    }
}
