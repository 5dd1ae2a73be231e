using ContextLite.Client.Contracts;
using ContextLite.Client.Tests.Infrastructure;

namespace ContextLite.Client.Tests;

/// <summary>Discovery over a port range and failover between real nodes on free ports.</summary>
public sealed class DiscoveryAndFailoverTests
{
    [Fact]
    public async Task Discovery_FindsTheNodesListeningInTheRange_InPortOrder()
    {
        var start = PortBlock.Find(4);
        await using var second = await TestNode.StartAsync(start + 3, "node-b");
        await using var first = await TestNode.StartAsync(start + 1, "node-a");
        using var http = new HttpClient();
        var client = new ContextLiteClient(http, Range(start, start + 3));

        var health = await client.HealthAsync();

        Assert.Equal("node-a", health.NodeId);
        Assert.Equal("healthy", health.Status);
        Assert.Equal(first.BaseAddress, health.Endpoint);
        Assert.Equal([first.BaseAddress, second.BaseAddress], client.Endpoints);
    }

    [Fact]
    public async Task Discovery_NothingListening_ThrowsSayingWhereItLooked()
    {
        var start = PortBlock.Find(3);
        using var http = new HttpClient();
        var client = new ContextLiteClient(http, Range(start, start + 2));

        var error = await Assert.ThrowsAsync<ContextLiteException>(() => client.ListWorkspacesAsync());

        Assert.Null(error.StatusCode);
        Assert.Contains($":{start}/", error.Message, StringComparison.Ordinal);
        Assert.Contains($":{start + 2}/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_WhenTheCurrentNodeStops_TheNextHealthyNodeAnswers()
    {
        var start = PortBlock.Find(2);
        await using var first = await TestNode.StartAsync(start, "node-a");
        await using var second = await TestNode.StartAsync(start + 1, "node-b");
        using var http = new HttpClient();
        var options = Range(start, start + 1);
        options.Workspace = "failover";
        var client = new ContextLiteClient(http, options);
        DocumentToAdd[] documents = [new("notes/ring.md", "The ring maps each workspace to one node.\n")];
        var before = await client.AddDocumentsAsync(documents);
        var answeredBefore = (await client.SearchAsync("ring workspace")).NodeId;

        await first.StopAsync();
        var after = await client.AddDocumentsAsync(documents);
        var search = await client.SearchAsync("ring workspace", new SearchOptions { MaxResults = 1 });

        Assert.Equal(1, before.Added);
        Assert.Equal("node-a", answeredBefore);
        Assert.Equal(1, after.Added);
        Assert.Equal("node-b", search.NodeId);
        Assert.Equal("notes/ring.md", Assert.Single(search.Results).Path);
        Assert.Equal([second.BaseAddress], client.Endpoints);
    }

    [Fact]
    public async Task Failover_GivenEndpoints_SkipsOneThatRefusesConnections()
    {
        var start = PortBlock.Find(2);
        await using var node = await TestNode.StartAsync(start + 1, "node-b");
        using var http = new HttpClient();
        var options = new ContextLiteClientOptions { Workspace = "given" };
        options.Endpoints.Add(new Uri($"http://127.0.0.1:{start}/"));
        options.Endpoints.Add(node.BaseAddress);
        var client = new ContextLiteClient(http, options);

        var added = await client.AddDocumentsAsync([new("a.md", "alpha")]);
        var assembled = await client.AssembleAsync("alpha", new AssembleOptions { MaxTokens = 100 });

        Assert.Equal("given", added.Workspace);
        Assert.Equal("a.md", Assert.Single(assembled.Documents).Path);
        Assert.Equal("node-b", assembled.NodeId);
        Assert.Equal([node.BaseAddress], client.Endpoints);
    }

    private static ContextLiteClientOptions Range(int first, int last) => new()
    {
        DiscoveryHost = "127.0.0.1",
        DiscoveryPortStart = first,
        DiscoveryPortEnd = last,
    };
}
