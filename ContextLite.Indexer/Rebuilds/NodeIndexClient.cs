using System.Net;
using System.Net.Http.Headers;
using ContextLite.Clustering;
using ContextLite.Indexer.Configuration;
using Microsoft.Extensions.Options;

namespace ContextLite.Indexer.Rebuilds;

/// <summary>
/// Calls a node's internal endpoints with the cluster key: pulls a workspace's vectors as a binary stream and
/// pushes clusters back (<see cref="IndexWire"/>).
/// </summary>
internal sealed class NodeIndexClient(IHttpClientFactory factory, IOptions<IndexerOptions> options)
{
    public const string ClientName = "nodes";
    public const string KeyHeader = "X-ContextLite-Cluster-Key";
    public const string IndexerHeader = "X-ContextLite-Indexer";

    private readonly IndexerOptions _options = options.Value;

    /// <summary>The workspace's vectors; null when the node says it (or its vectors) no longer exists.</summary>
    public async Task<VectorSet?> PullVectorsAsync(string node, string workspace, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, node, workspace, "vectors");
        using var client = factory.CreateClient(ClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, node, workspace, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await IndexWire.ReadVectorsAsync(stream, _options.MaxVectors, cancellationToken);
    }

    /// <summary>Sends clusters to the node; returns its answer (new cluster version, K, vectors), or null when the workspace is gone.</summary>
    public async Task<string?> PushClustersAsync(string node, string workspace, ClusterPush push, string instanceId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, node, workspace, "clusters");
        request.Headers.Add(IndexerHeader, instanceId);
        request.Content = new ByteArrayContent(IndexWire.EncodeClusters(push));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(IndexWire.ClustersMediaType);
        using var client = factory.CreateClient(ClientName);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, node, workspace, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private HttpRequestMessage Request(HttpMethod method, string node, string workspace, string what)
    {
        var request = new HttpRequestMessage(method, new Uri(_options.NodeAddress(node), $"/internal/v1/workspaces/{Uri.EscapeDataString(workspace)}/{what}"));
        request.Headers.Add(KeyHeader, _options.ClusterKey);
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string node, string workspace, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"Node {node} answered {(int)response.StatusCode} for workspace '{workspace}': {body}", null, response.StatusCode);
        }
    }
}
