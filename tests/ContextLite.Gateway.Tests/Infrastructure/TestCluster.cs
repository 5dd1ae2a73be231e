using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using ContextLite.Cluster;

namespace ContextLite.Gateway.Tests.Infrastructure;

/// <summary>Three real nodes (<c>node-1..3</c>) behind a real gateway, all in this process.</summary>
public sealed class TestCluster : IAsyncLifetime
{
    public const string NodeHeader = "X-ContextLite-Node";

    private readonly List<TestNode> _nodes = [];

    public IReadOnlyList<TestNode> Nodes => _nodes;

    public TestGateway Gateway { get; private set; } = null!;

    /// <summary>Extra gateway configuration (e.g. <c>gateway:replication_factor</c>, <c>gateway:redis</c>).</summary>
    public IDictionary<string, string?>? GatewaySettings { get; init; }

    /// <summary>Extra configuration of every node (e.g. <c>security:api_keys</c>).</summary>
    public IDictionary<string, string?>? NodeSettings { get; init; }

    public HttpClient Client => Gateway.Client;

    /// <summary>The ring the gateway should be using: every configured node.</summary>
    public HashRing Ring { get; } = new(["node-1", "node-2", "node-3"]);

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            _nodes.Add(await TestNode.StartAsync("node-" + i.ToString(CultureInfo.InvariantCulture), NodeSettings));
        }

        Gateway = await TestGateway.StartAsync(_nodes.Select(n => n.Endpoint), GatewaySettings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    public TestNode Node(string id) => _nodes.Single(n => n.NodeId == id);

    public static HttpRequestMessage Request(HttpMethod method, string path, string? workspace = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (workspace is not null)
        {
            request.Headers.Add("X-Workspace-ID", workspace);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return request;
    }

    public static string? NodeOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(NodeHeader, out var values) ? values.Single() : null;

    /// <summary>Workspaces <c>{prefix}-0..count-1</c>.</summary>
    public static IReadOnlyList<string> Workspaces(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => $"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}").ToArray();
}
