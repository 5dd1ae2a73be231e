using System.Text.Json;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Diagnostics;
using Microsoft.Extensions.Options;

namespace ContextLite.Gateway.Api;

/// <summary>Reads one node's <c>/health</c> with a short timeout and no retries (a slow node is news, not noise).</summary>
/// <remarks>
/// It owns its <see cref="HttpClient"/> instead of taking one from the factory: the service defaults give every
/// factory client the standard resilience handler (retries, 30 s budget), which would hide a dead node.
/// </remarks>
internal sealed class NodeHealthClient(IOptions<GatewayOptions> options, ILogger<NodeHealthClient> logger) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

    public void Dispose() => _client.Dispose();

    public async Task<NodeHealthReport> GetAsync(
        string nodeId, string address, string? authorization, string? apiKey, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.NodeHealthTimeoutMs);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), "/health"));
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (apiKey is not null)
            {
                request.Headers.TryAddWithoutValidation(ContextLite.Security.ApiKeyCredentials.HeaderName, apiKey);
            }

            using var response = await _client.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return NodeHealthReport.Failed($"HTTP {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var json = await JsonDocument.ParseAsync(body, default, timeout.Token);
            var root = json.RootElement;
            var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "healthy";
            double? load = root.TryGetProperty("cluster", out var c) && c.TryGetProperty("load_factor", out var l) && l.ValueKind == JsonValueKind.Number
                ? l.GetDouble() : null;
            var workspaces = new List<string>();
            if (root.TryGetProperty("workspaces", out var w) && w.TryGetProperty("workspaces", out var each) && each.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in each.EnumerateObject())
                {
                    workspaces.Add(property.Name);
                }
            }

            int? underReplicated = null;
            var primaryOf = new List<string>();
            if (root.TryGetProperty("replication", out var r) && r.ValueKind == JsonValueKind.Object)
            {
                if (r.TryGetProperty("under_replicated_workspaces", out var u) && u.ValueKind == JsonValueKind.Number)
                {
                    underReplicated = u.GetInt32();
                }

                if (r.TryGetProperty("workspaces", out var copies) && copies.ValueKind == JsonValueKind.Object)
                {
                    foreach (var copy in copies.EnumerateObject())
                    {
                        if (copy.Value.TryGetProperty("role", out var role) && role.ValueEquals("primary"u8))
                        {
                            primaryOf.Add(copy.Name);
                        }
                    }
                }
            }

            return new NodeHealthReport(status, load, workspaces, null) { UnderReplicated = underReplicated, PrimaryOf = primaryOf };
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            GatewayLog.NodeHealthFailed(logger, nodeId, address, ex.Message);
            return NodeHealthReport.Failed(ex is OperationCanceledException ? $"no answer within {options.Value.NodeHealthTimeoutMs} ms" : ex.Message);
        }
    }
}

/// <summary>What one node said about itself.</summary>
internal sealed record NodeHealthReport(string Status, double? LoadFactor, IReadOnlyList<string> Workspaces, string? Error)
{
    /// <summary>With replication: the workspaces this node is the primary of with fewer than R caught-up copies.</summary>
    public int? UnderReplicated { get; init; }

    /// <summary>With replication: the workspaces this node is the primary of.</summary>
    public IReadOnlyList<string> PrimaryOf { get; init; } = [];

    public static NodeHealthReport Failed(string error) => new("unreachable", null, [], error);
}
