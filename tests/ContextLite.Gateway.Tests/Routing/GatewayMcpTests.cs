using System.Net;
using ContextLite.Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace ContextLite.Gateway.Tests.Routing;

/// <summary>MCP through the gateway: each tool call is served by the owner of the workspace it is for.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GatewayMcpTests(TestCluster cluster)
{
    [Fact]
    public async Task Mcp_ConnectionHeader_RoutesToTheOwnerOfThatWorkspace()
    {
        var (workspace, _) = TwoWorkspacesOnDifferentNodes("mcp-header");
        await using var client = await ConnectAsync(workspace);

        var added = await client.CallToolAsync("add_documents", Documents());
        var assembled = await client.CallToolAsync("assemble_context", new Dictionary<string, object?> { ["query"] = "ring of nodes" });

        Assert.NotEqual(true, added.IsError);
        Assert.NotEqual(true, assembled.IsError);
        Assert.Equal(workspace, assembled.StructuredContent!.Value.GetProperty("workspace").GetString());
        Assert.Equal(cluster.Ring.Owner(workspace), assembled.StructuredContent!.Value.GetProperty("node_id").GetString());
    }

    [Fact]
    public async Task Mcp_WorkspaceArgument_IsRoutedToItsOwner_NotTheConnections()
    {
        var (connection, named) = TwoWorkspacesOnDifferentNodes("mcp-arg");
        await using var client = await ConnectAsync(connection);

        var added = await client.CallToolAsync("add_documents", Documents(named));
        var assembled = await client.CallToolAsync("assemble_context", new Dictionary<string, object?> { ["query"] = "ring of nodes", ["workspace"] = named });

        Assert.NotEqual(true, added.IsError);
        Assert.Equal(cluster.Ring.Owner(named), assembled.StructuredContent!.Value.GetProperty("node_id").GetString());
        Assert.Equal("docs/ring.md", assembled.StructuredContent!.Value.GetProperty("documents")[0].GetProperty("path").GetString());
        // Asked straight, the connection's own node does not have the named workspace: nothing was written there.
        using var direct = new HttpClient { BaseAddress = new Uri("http://" + cluster.Node(cluster.Ring.Owner(connection)!).Endpoint) };
        using var onConnectionOwner = await direct.GetAsync($"/api/v1/workspaces/{named}");
        Assert.NotEqual(cluster.Ring.Owner(named), TestCluster.NodeOf(onConnectionOwner));
        Assert.Equal(HttpStatusCode.NotFound, onConnectionOwner.StatusCode);
    }

    private (string First, string Second) TwoWorkspacesOnDifferentNodes(string prefix)
    {
        var workspaces = TestCluster.Workspaces(prefix, 20);
        var first = workspaces[0];
        return (first, workspaces.First(w => cluster.Ring.Owner(w) != cluster.Ring.Owner(first)));
    }

    private static Dictionary<string, object?> Documents(string? workspace = null) => new()
    {
        ["documents"] = new object[] { new Dictionary<string, object?> { ["path"] = "docs/ring.md", ["content"] = "The gateway hashes workspaces onto a ring of nodes.\n" } },
        ["workspace"] = workspace,
    };

    private Task<McpClient> ConnectAsync(string workspace) =>
        McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(cluster.Client.BaseAddress!, "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["X-Workspace-ID"] = workspace },
            }));
}
