using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Clustering;
using ContextLite.Indexer.Tests.Infrastructure;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Search;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Indexer.Tests.Rebuilds;

/// <summary>
/// The indexer dies while pushing the clusters of a rebuild: the node keeps the previous complete cluster set, in
/// memory and on disk, keeps answering, and the next indexer's build goes through.
/// </summary>
public sealed class InterruptedRebuildTests
{
    private const string Workspace = "big";
    private const int FirstBuild = 3000;
    private const int Total = 4000;

    [Fact]
    public async Task IndexerKilledMidPush_NodeKeepsThePreviousClusters_AndTheNextBuildCompletes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        using var redis = await RedisServer.StartAsync();
        await using var node = await IndexerModeNode.StartAsync(redis);
        await using var proxy = new CuttingProxy(node.BaseAddress);
        var retryFast = new Dictionary<string, string?> { ["indexer:retry_after_failure_seconds"] = "1" };

        // A complete first build through the proxy, nothing cut.
        await IndexerModeNode.IngestAsync(node, Workspace, 0, FirstBuild);
        var first = await IndexerHost.StartAsync(redis, proxy.Address, "indexer-a", retryFast);
        var built = await WaitForAsync(() => ClustersAsync(node, version: 1), timeout.Token);
        Assert.Equal(55, (int)built["k"]!); // ⌈√3000⌉
        var store = Store(node);
        var index = Index(node, store);
        var before = store.LoadClusters(index.Dimension)!.Value;
        Assert.Equal(FirstBuild, before.Assignments.Count);

        // Act: a quarter more chunks make it stale; the indexer's push of the rebuild is cut halfway through its body,
        // then that indexer is gone for good.
        int pushBytes = IndexWire.ClustersHeaderBytes + (64 * index.Dimension * sizeof(float)) + (Total * 12); // K = ⌈√4000⌉
        proxy.CutPushesAfterBytes = pushBytes / 2;
        await IndexerModeNode.IngestAsync(node, Workspace, FirstBuild, Total);
        await WaitForAsync(() => Task.FromResult(proxy.Cuts > 0 ? "cut" : null), timeout.Token);
        await first.DisposeAsync();

        // Nothing of the cut push was applied: same version and centroids, every chunk in one of the old clusters.
        var kept = await ClustersAsync(node, version: 1);
        Assert.NotNull(kept);
        Assert.Equal(55, (int)kept["k"]!);
        Assert.Equal("indexer-a", (string?)kept["last_build"]!["built_by"]);
        Assert.Equal(1, store.ClusterBuildInfo().Version);
        var after = store.LoadClusters(index.Dimension)!.Value;
        Assert.Equal(before.Centroids, after.Centroids);
        Assert.Equal(before.Assignments, after.Assignments);
        Assert.Equal(55, index.ClusterCount);
        var ids = Ids(index);
        Assert.Equal(Total, ids.Count);
        Assert.All(ids, id => Assert.InRange(index.ClusterOf(id), 0, 54));
        Assert.Empty(await store.VerifyAsync(timeout.Token));
        await AssertSemanticSearchAnswersAsync(node);

        // The next build, by a new indexer with nothing in the way, completes.
        proxy.CutPushesAfterBytes = 0;
        await using var second = await IndexerHost.StartAsync(redis, proxy.Address, "indexer-b", retryFast);
        var rebuilt = await WaitForAsync(() => ClustersAsync(node, version: 2), timeout.Token);
        Assert.Equal(64, (int)rebuilt["k"]!);
        Assert.Equal("indexer-b", (string?)rebuilt["last_build"]!["built_by"]);
        Assert.Equal(Total, (long)rebuilt["last_build"]!["n"]!);
        Assert.Equal(Total, store.LoadClusters(index.Dimension)!.Value.Assignments.Count);
        Assert.All(Ids(index), id => Assert.InRange(index.ClusterOf(id), 0, 63));
        Assert.Empty(await store.VerifyAsync(timeout.Token));
        await AssertSemanticSearchAnswersAsync(node);
    }

    private static async Task AssertSemanticSearchAnswersAsync(NodeHost node)
    {
        using var search = await node.PostJsonAsync("/api/v1/search", """{"query":"shader texture pixels","mode":"semantic","k":5}""", Workspace);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var body = JsonNode.Parse(await search.Content.ReadAsStringAsync())!;
        Assert.True((bool)body["retrieval"]!["clusters_used"]!);
        Assert.Equal(5, body["results"]!.AsArray().Count);
    }

    private static async Task<JsonNode?> ClustersAsync(NodeHost node, long version)
    {
        using var response = await node.GetAsync($"/api/v1/workspaces/{Workspace}");
        var clusters = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync())?["clusters"] : null;
        return clusters is not null && (long)clusters["version"]! == version ? clusters : null;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static List<long> Ids(VectorIndex index)
    {
        var export = index.Export();
        var ids = new long[export.Count];
        var vectors = new float[export.Count * export.Dimension];
        return [.. ids.AsSpan(0, export.Read(ids, vectors)).ToArray()];
    }

    private static WorkspaceStore Store(NodeHost node) =>
        node.App.Services.GetRequiredService<WorkspaceCatalog>().TryOpen(WorkspaceId.Parse(Workspace))!;

    private static VectorIndex Index(NodeHost node, WorkspaceStore store) =>
        node.App.Services.GetRequiredService<WorkspaceVectors>().Get(store)!;
}
