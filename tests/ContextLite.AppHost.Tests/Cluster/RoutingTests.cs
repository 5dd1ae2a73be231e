using System.Net;
using ContextLite.AppHost.Tests.Infrastructure;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>Placement through the gateway: stable per workspace, spread over every node, and serving the data.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoutingTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Gateway_SameWorkspaceRepeatedly_LandsOnTheSameNode()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var gateway = cluster.Gateway();
        var served = new HashSet<string?>();

        for (var i = 0; i < 10; i++)
        {
            using var response = await gateway.IngestAsync("sticky-ws", $"notes/{i}.md", $"Note {i} about placement.", timeout.Token);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(timeout.Token)}");
            served.Add(response.ServedBy());
        }

        var node = Assert.Single(served);
        Assert.Contains(node, ClusterFixture.NodeNames);
    }

    [Fact]
    public async Task Gateway_ThirtyWorkspaces_SpreadOverAllThreeNodes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var gateway = cluster.Gateway();
        var placement = new Dictionary<string, string>();

        for (var i = 0; i < 30; i++)
        {
            var workspace = $"spread-{i:D2}";
            using var response = await gateway.ListDocumentsAsync(workspace, timeout.Token);
            Assert.True((int)response.StatusCode < 500, $"{workspace}: {(int)response.StatusCode}");
            placement[workspace] = response.ServedBy() ?? "(none)";
        }

        Assert.All(placement.Values, node => Assert.Contains(node, ClusterFixture.NodeNames));
        var perNode = placement.Values.CountBy(node => node).ToDictionary();
        Assert.Equal(3, perNode.Count);
        // With 128 virtual nodes each owns roughly a third; none should be nearly empty.
        Assert.All(perNode.Values, count => Assert.InRange(count, 3, 20));
    }

    [Fact]
    public async Task Gateway_IngestThenAssemble_ReturnsTheIngestedDocument()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var gateway = cluster.Gateway();
        const string Workspace = "e2e-assemble";
        const string Content = "# Lighthouses\n\nThe lighthouse keeper trims the wick and polishes the Fresnel lens every evening.\n";

        using var ingest = await gateway.IngestAsync(Workspace, "docs/lighthouse.md", Content, timeout.Token);
        using var assemble = await gateway.AssembleAsync(Workspace, "who polishes the Fresnel lens of the lighthouse?", 1000, timeout.Token);
        var body = await assemble.Content.ReadAsStringAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.Created, ingest.StatusCode);
        Assert.True(assemble.StatusCode == HttpStatusCode.OK, $"assemble answered {(int)assemble.StatusCode} from {assemble.ServedBy() ?? "the gateway"}: {body}{Environment.NewLine}{cluster.NodeErrors()}");
        var context = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.Equal(ingest.ServedBy(), assemble.ServedBy());
        var document = Assert.Single(context["documents"]!.AsArray());
        Assert.Equal("docs/lighthouse.md", (string?)document!["path"]);
        Assert.Contains("Fresnel lens", (string?)document["content"], StringComparison.Ordinal);
        Assert.True((int?)context["total_tokens"] > 0);
    }
}
