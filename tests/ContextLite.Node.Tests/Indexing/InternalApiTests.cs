using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ContextLite.Clustering;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Search;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Node.Tests.Indexing;

/// <summary>The indexer's endpoints on the node: the cluster key, the binary vector stream and the cluster swap.</summary>
public sealed class InternalApiTests
{
    private const string Key = "node-test-cluster-key";
    private const string KeyHeader = "X-ContextLite-Cluster-Key";
    private static readonly string[] s_topics = ["database index btree page", "network socket packet latency", "compiler parser token grammar", "graphics shader pixel texture"];

    [Theory]
    [InlineData(null, 401)]
    [InlineData("", 401)]
    [InlineData("wrong-key", 403)]
    [InlineData(Key, 200)]
    public async Task Vectors_ClusterKey_IsRequired(string? presented, int expected)
    {
        await using var node = await StartAsync();
        await IngestAsync(node, "ws", 0, 3);

        using var response = await SendAsync(node, HttpMethod.Get, "/internal/v1/workspaces/ws/vectors", presented);

        if (expected == 200)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(IndexWire.VectorsMediaType, response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            await Json.AssertProblemAsync(response, expected);
        }
    }

    [Fact]
    public async Task InternalEndpoints_NoKeyConfigured_AreClosed()
    {
        await using var node = await NodeHost.StartAsync();

        using var get = await SendAsync(node, HttpMethod.Get, "/internal/v1/workspaces/ws/vectors", "anything");
        using var put = await SendAsync(node, HttpMethod.Put, "/internal/v1/workspaces/ws/clusters", "anything");

        Assert.Contains("no cluster key", await Json.AssertProblemAsync(get, 403), StringComparison.Ordinal);
        await Json.AssertProblemAsync(put, 403);
    }

    [Fact]
    public async Task Vectors_Stream_RoundTripsEveryVectorBitForBit()
    {
        await using var node = await StartAsync();
        await IngestAsync(node, "ws", 0, 2500); // More than one write batch of the stream.

        using var response = await SendAsync(node, HttpMethod.Get, "/internal/v1/workspaces/ws/vectors", Key);
        var set = await IndexWire.ReadVectorsAsync(await response.Content.ReadAsStreamAsync(), 1_000_000);

        var index = IndexOf(node, "ws");
        Assert.Equal(index.Count, set.Count);
        Assert.Equal(2500, set.Count);
        Assert.Equal(index.Dimension, set.Dimension);
        Assert.Equal(set.Count, set.Ids.Distinct().Count());
        for (int i = 0; i < set.Count; i++)
        {
            Assert.Equal(index.GetVector(set.Ids[i]), set.Vectors.AsSpan(i * set.Dimension, set.Dimension).ToArray());
        }
    }

    [Fact]
    public async Task Vectors_UnknownWorkspace_Is404()
    {
        await using var node = await StartAsync();

        using var response = await SendAsync(node, HttpMethod.Get, "/internal/v1/workspaces/nothing-here/vectors", Key);

        await Json.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task Clusters_Push_SwapsInAndAssignsChunksWrittenAfterTheSnapshot()
    {
        await using var node = await StartAsync();
        await IngestAsync(node, "ws", 0, 40);
        var set = await PullAsync(node, "ws");
        var result = KMeans.Fit(set.Vectors, set.Dimension, new KMeansOptions(K: 4, Seed: 3));
        await IngestAsync(node, "ws", 40, 45); // After the indexer's snapshot.

        using var response = await PushAsync(node, "ws", new ClusterPush(set.Dimension, 4, result.Centroids, set.Ids, result.Assignments, result.Iterations, result.Inertia, 0.25));

        var body = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (long)body["clusters_version"]!);
        Assert.Equal(45, (int)body["vectors"]!);
        Assert.Equal(5, (int)body["assigned_after_snapshot"]!);
        var index = IndexOf(node, "ws");
        Assert.Equal(4, index.ClusterCount);
        for (int i = 0; i < set.Count; i++)
        {
            Assert.Equal(result.Assignments[i], index.ClusterOf(set.Ids[i]));
        }

        var later = (await PullAsync(node, "ws")).Ids.Except(set.Ids).ToList();
        Assert.Equal(5, later.Count);
        Assert.All(later, id => Assert.InRange(index.ClusterOf(id), 0, 3));

        var described = await node.GetJsonAsync<JsonNode>("/api/v1/workspaces/ws");
        var build = described["clusters"]!["last_build"]!;
        Assert.Equal("indexer-test", (string?)build["built_by"]);
        Assert.Equal(40, (long)build["n"]!);
        Assert.Equal(result.Iterations, (int)build["iterations"]!);
        Assert.Equal(result.Inertia, (double)build["inertia"]!, 9);
        Assert.Equal(0.25, (double)build["seconds"]!);

        // Stored too: the workspace's file holds the same clusters as memory.
        var stored = Store(node, "ws").LoadClusters(set.Dimension)!.Value;
        Assert.Equal(4, stored.K);
        Assert.Equal(45, stored.Assignments.Count);
    }

    [Fact]
    public async Task Clusters_InvalidPush_IsRefusedAndLeavesTheCurrentClustersWhole()
    {
        await using var node = await StartAsync();
        await IngestAsync(node, "ws", 0, 30);
        var set = await PullAsync(node, "ws");
        var good = KMeans.Fit(set.Vectors, set.Dimension, new KMeansOptions(K: 3, Seed: 1));
        using (var first = await PushAsync(node, "ws", new ClusterPush(set.Dimension, 3, good.Centroids, set.Ids, good.Assignments, 1, 0, 0)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // The last assignment names cluster 5 of 5 (out of range): detected only after the first 29 were read.
        var bad = KMeans.Fit(set.Vectors, set.Dimension, new KMeansOptions(K: 5, Seed: 1));
        var assignments = (int[])bad.Assignments.Clone();
        assignments[^1] = 5;
        using var response = await PushAsync(node, "ws", new ClusterPush(set.Dimension, 5, bad.Centroids, set.Ids, assignments, 1, 0, 0));
        using var truncated = await SendAsync(node, HttpMethod.Put, "/internal/v1/workspaces/ws/clusters", Key, new ByteArrayContent(new byte[12]));

        await Json.AssertProblemAsync(response, 400);
        await Json.AssertProblemAsync(truncated, 400);
        var index = IndexOf(node, "ws");
        Assert.Equal(3, index.ClusterCount);
        for (int i = 0; i < set.Count; i++)
        {
            Assert.Equal(good.Assignments[i], index.ClusterOf(set.Ids[i]));
        }

        Assert.Equal(1, Store(node, "ws").ClusterBuildInfo().Version);
    }

    [Fact]
    public async Task Clusters_WhileQueriesRun_EveryQueryAnswersWithAllItsResults()
    {
        await using var node = await StartAsync();
        await IngestAsync(node, "ws", 0, 200);
        var set = await PullAsync(node, "ws");
        var index = IndexOf(node, "ws");
        var query = index.GetVector(set.Ids[0])!;
        using var stop = new CancellationTokenSource();
        var searching = Enumerable.Range(0, 2).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        // Readers search the in-memory index through every cluster count while swaps replace the clusters.
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            int searches = 0;
            while (!stop.IsCancellationRequested)
            {
                var hits = index.SearchIvf(query, 10, nprobe: 1_000);
                Assert.Equal(10, hits.Count);
                Assert.Equal(set.Ids[0], hits[0].Id);
                searches++;
                searching[r].TrySetResult();
            }

            return searches;
        })).ToList();
        // Swaps start once both readers are searching: on a loaded machine a reader's task could otherwise start only
        // after the last swap, and see none of them. A reader that failed says why.
        var started = Task.WhenAll(searching.Select(s => s.Task));
        await Task.WhenAny(started, Task.WhenAny(readers), Task.Delay(TimeSpan.FromSeconds(60)));
        foreach (var reader in readers.Where(r => r.IsCompleted))
        {
            await reader;
        }

        if (!started.IsCompleted)
        {
            await stop.CancelAsync();
            Assert.Fail("the readers never started searching");
        }

        for (int k = 2; k <= 12; k++)
        {
            var result = KMeans.Fit(set.Vectors, set.Dimension, new KMeansOptions(K: k, Seed: k));
            using var response = await PushAsync(node, "ws", new ClusterPush(set.Dimension, k, result.Centroids, set.Ids, result.Assignments, 1, 0, 0));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await stop.CancelAsync();
        var counts = await Task.WhenAll(readers);
        Assert.All(counts, c => Assert.True(c > 0));
        Assert.Equal(12, index.ClusterCount);
        Assert.Equal(11, Store(node, "ws").ClusterBuildInfo().Version);
    }

    private static Task<NodeHost> StartAsync() => NodeHost.StartAsync(new Dictionary<string, string?>
    {
        ["internal:cluster_key"] = Key,
        ["clustering:build_on_node"] = "false",
    });

    private static async Task IngestAsync(NodeHost node, string workspace, int from, int to)
    {
        for (int start = from; start < to; start += 500)
        {
            var docs = Enumerable.Range(start, Math.Min(500, to - start)).Select(i => new { id = $"d{i}", path = $"f{i}.txt", content = $"{s_topics[i % 4]} note {i}" });
            using var write = await node.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), workspace);
            write.EnsureSuccessStatusCode();
        }

        await node.WaitForEmbeddingsAsync();
    }

    private static async Task<VectorSet> PullAsync(NodeHost node, string workspace)
    {
        using var response = await SendAsync(node, HttpMethod.Get, $"/internal/v1/workspaces/{workspace}/vectors", Key);
        response.EnsureSuccessStatusCode();
        return await IndexWire.ReadVectorsAsync(await response.Content.ReadAsStreamAsync(), 1_000_000);
    }

    private static Task<HttpResponseMessage> PushAsync(NodeHost node, string workspace, ClusterPush push)
    {
        var content = new ByteArrayContent(IndexWire.EncodeClusters(push));
        content.Headers.ContentType = new MediaTypeHeaderValue(IndexWire.ClustersMediaType);
        return SendAsync(node, HttpMethod.Put, $"/internal/v1/workspaces/{workspace}/clusters", Key, content, indexer: "indexer-test");
    }

    private static Task<HttpResponseMessage> SendAsync(
        NodeHost node, HttpMethod method, string path, string? key, HttpContent? content = null, string? indexer = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(KeyHeader, key);
        }

        if (indexer is not null)
        {
            request.Headers.Add("X-ContextLite-Indexer", indexer);
        }

        return node.Client.SendAsync(request);
    }

    private static WorkspaceStore Store(NodeHost node, string workspace) =>
        node.App.Services.GetRequiredService<WorkspaceCatalog>().TryOpen(WorkspaceId.Parse(workspace))!;

    private static VectorIndex IndexOf(NodeHost node, string workspace) =>
        node.App.Services.GetRequiredService<WorkspaceVectors>().Get(Store(node, workspace))!;
}
