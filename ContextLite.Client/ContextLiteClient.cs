using System.Text.Json;
using ContextLite.Client.Contracts;
using Microsoft.Extensions.Options;

namespace ContextLite.Client;

/// <summary>
/// A typed <see cref="HttpClient"/> for ContextLite nodes and gateways: <see cref="SearchAsync"/>,
/// <see cref="AssembleAsync"/>, <see cref="AddDocumentsAsync"/>, <see cref="ListWorkspacesAsync"/> and
/// <see cref="HealthAsync"/>.
/// </summary>
/// <remarks>
/// Endpoints come from <see cref="ContextLiteClientOptions.Endpoints"/> or are discovered by probing <c>/health</c>
/// over a port range (8080–8090 by default). A request goes to the current endpoint; when it cannot be reached the
/// client fails over to the next one (discovering again when all are gone). 429 and 503 are retried after the
/// server's <c>Retry-After</c>, or an exponential backoff when it gives none; a 503 also moves to the next endpoint.
/// Register it with <see cref="ContextLiteClientRegistration.AddContextLiteClient"/> or construct it over an
/// <see cref="HttpClient"/>. It is safe to use from several threads.
/// </remarks>
public sealed partial class ContextLiteClient
{
    private readonly HttpClient _http;
    private readonly ContextLiteClientOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over <paramref name="http"/>, whose base address is ignored.</summary>
    public ContextLiteClient(HttpClient http, IOptions<ContextLiteClientOptions> options)
        : this(http, options.Value, TimeProvider.System)
    {
    }

    /// <summary>Creates a client; <paramref name="time"/> times the waits between retries.</summary>
    public ContextLiteClient(HttpClient http, ContextLiteClientOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The endpoints in use, after discovery; empty before the first request.</summary>
    public IReadOnlyList<Uri> Endpoints => _endpoints ?? [];

    /// <summary>Assembles the best passages for <paramref name="query"/> within the options' token budget.</summary>
    public Task<AssembleResult> AssembleAsync(string query, AssembleOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        options ??= new AssembleOptions();
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new AssembleRequest(query, options.MaxTokens, options.MaxDocuments, options.Mode, options.IncludeContent, options.Explain),
            ClientJson.Default.AssembleRequest);
        return SendAsync(HttpMethod.Post, "api/v1/assemble", body, options.Workspace, ClientJson.Default.AssembleResult, cancellationToken);
    }

    /// <summary>The seed's <c>search(query, {maxResults, ...})</c>: ranked chunks without selection.</summary>
    public Task<SearchResult> SearchAsync(string query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        options ??= new SearchOptions();
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new SearchRequest(query, options.MaxResults, options.Mode, options.IncludeContent), ClientJson.Default.SearchRequest);
        return SendAsync(HttpMethod.Post, "api/v1/search", body, options.Workspace, ClientJson.Default.SearchResult, cancellationToken);
    }

    /// <summary>Adds or updates documents, each on its own (<c>POST /api/v1/documents/bulk</c>).</summary>
    public Task<AddDocumentsResult> AddDocumentsAsync(IReadOnlyList<DocumentToAdd> documents, string? workspace = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DocumentsRequest(documents), ClientJson.Default.DocumentsRequest);
        return SendAsync(HttpMethod.Post, "api/v1/documents/bulk", body, workspace, ClientJson.Default.AddDocumentsResult, cancellationToken);
    }

    /// <summary>The workspaces of the node that answers (through a gateway: the node it picks).</summary>
    public Task<WorkspaceList> ListWorkspacesAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "api/v1/workspaces", null, null, ClientJson.Default.WorkspaceList, cancellationToken);

    /// <summary>The answering endpoint's <c>/health</c>; scoped to the client's workspace when it has one.</summary>
    public async Task<HealthReport> HealthAsync(CancellationToken cancellationToken = default)
    {
        var (report, endpoint) = await SendCoreAsync(HttpMethod.Get, "health", null, null, ClientJson.Default.HealthReport, cancellationToken).ConfigureAwait(false);
        return report with { Endpoint = endpoint };
    }
}
