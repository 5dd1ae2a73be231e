using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Api;

/// <summary>In single-node mode the node builds a workspace's IVF clusters itself once it passes clustering.min_chunks.</summary>
public sealed class NodeClusteringTests
{
    [Fact]
    public async Task PastMinChunks_NodeBuildsClustersAndQueriesProbeThem()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["clustering:min_chunks"] = "40",
            ["clustering:nprobe"] = "2",
        });
        var topics = new[] { "database index btree page", "network socket packet latency", "compiler parser token grammar", "graphics shader pixel texture" };
        var docs = Enumerable.Range(0, 60).Select(i => new { id = $"d{i}", path = $"f{i}.txt", content = $"{topics[i % 4]} note {i}" });
        using var write = await node.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), "big");
        await node.WaitForEmbeddingsAsync();

        var workspace = await node.GetJsonAsync<JsonNode>("/api/v1/workspaces/big");
        using var search = await node.PostJsonAsync("/api/v1/search", """{"query":"shader texture pixels","mode":"semantic","k":5}""", "big");

        var clusters = workspace["clusters"];
        Assert.NotNull(clusters);
        Assert.Equal(8, (int)clusters!["k"]!); // ⌈√60⌉
        Assert.Equal(60, (long)clusters["chunks_at_build"]!);
        var body = await Json.ReadAsync(search);
        Assert.True((bool)body["retrieval"]!["clusters_used"]!);
        Assert.Equal(2, (int)body["retrieval"]!["nprobe"]!);
        Assert.Contains("graphics", (string?)body["results"]![0]!["content"]);
    }

    [Fact]
    public async Task BelowMinChunks_NoClustersAndAnExactScan()
    {
        await using var node = await NodeHost.StartAsync();
        using var write = await node.PostJsonAsync("/api/v1/documents", """{"path":"a","content":"small workspace"}""", "small");
        await node.WaitForEmbeddingsAsync();

        var workspace = await node.GetJsonAsync<JsonNode>("/api/v1/workspaces/small");
        using var search = await node.PostJsonAsync("/api/v1/search", """{"query":"small","mode":"semantic"}""", "small");

        Assert.Null(workspace["clusters"]);
        Assert.False((bool)(await Json.ReadAsync(search))["retrieval"]!["clusters_used"]!);
    }

    [Fact]
    public async Task Restart_ReloadsVectorsAndClustersFromDisk()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["clustering:min_chunks"] = "20" };
        await using (var first = await NodeHost.StartAsync(settings, data.Path))
        {
            var docs = Enumerable.Range(0, 30).Select(i => new { id = $"d{i}", path = $"f{i}.txt", content = $"topic {i % 3} words {i}" });
            using var write = await first.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), "persist");
            await first.WaitForEmbeddingsAsync();
        }

        await using var second = await NodeHost.StartAsync(settings, data.Path);
        using var search = await second.PostJsonAsync("/api/v1/search", """{"query":"topic 1","mode":"semantic","k":3}""", "persist");

        var body = await Json.ReadAsync(search);
        Assert.True((bool)body["retrieval"]!["clusters_used"]!);
        Assert.Equal(3, body["results"]!.AsArray().Count);
        Assert.All(body["results"]!.AsArray(), r => Assert.NotNull(r!["semantic_score"]));
    }
}
