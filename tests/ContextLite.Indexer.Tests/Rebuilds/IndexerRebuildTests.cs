using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContextLite.Cluster;
using ContextLite.Indexer.Tests.Infrastructure;
using ContextLite.Node.Tests.Infrastructure;
using StackExchange.Redis;

namespace ContextLite.Indexer.Tests.Rebuilds;

/// <summary>
/// A real node in indexer mode, real redis-server and indexers in this process: the node reports changes,
/// the lease holder pulls, clusters and pushes, and a second indexer carries on when the first stops.
/// </summary>
public sealed class IndexerRebuildTests
{
    [Fact]
    public async Task StaleWorkspace_IsRebuiltWithoutACall_AndASecondIndexerTakesOver()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var redis = await RedisServer.StartAsync();
        await using var node = await IndexerModeNode.StartAsync(redis);

        // Below min_chunks: reported, but not rebuilt.
        await IndexerModeNode.IngestAsync(node, "alpha", 0, 10);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var database = connection.GetDatabase();
        var record = await WaitForAsync(async () =>
            IndexQueue.TryParse(await database.HashGetAsync(IndexQueue.WorkspacesKey(IndexQueue.DefaultPrefix), "alpha"), out var r) && r.Vectors == 10 ? r : null, timeout.Token);
        Assert.Equal("test-node", record.Node);
        Assert.Equal(0, record.Clusters);
        Assert.Equal(10, (long)await database.HashGetAsync(IndexQueue.DirtyKey(IndexQueue.DefaultPrefix), "alpha"));

        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Workspace)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "ContextLite.Indexer")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, WorkspaceTag(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, WorkspaceTag(tags))));
        listener.Start();

        await using var first = await StartIndexerAsync(redis, node, "indexer-a");
        await IndexerModeNode.IngestAsync(node, "alpha", 10, 40);

        // Act 1: nothing but the indexer builds clusters (the node's own building is off).
        var clusters = await WaitForAsync(async () => (await DescribeAsync(node, "alpha"))?["clusters"], timeout.Token, first);
        Assert.Equal(7, (int)clusters["k"]!); // ⌈√40⌉
        Assert.Equal(1, (long)clusters["version"]!);
        Assert.Equal("indexer-a", (string?)clusters["last_build"]!["built_by"]);
        Assert.Equal(40, (long)clusters["last_build"]!["n"]!);
        Assert.True((int)clusters["last_build"]!["iterations"]! >= 1);
        var health = await WaitForAsync(async () => (await first.Client.GetFromJsonAsync<JsonNode>("/health", timeout.Token))?["last_build"] is { } b ? b : null, timeout.Token, first);
        Assert.Equal("alpha", (string?)health["workspace"]);
        Assert.Equal(7, (int)health["k"]!);
        Assert.Equal(40, (int)health["n"]!);
        Assert.Equal(1, (long)health["clusters_version"]!);
        Assert.Contains(measurements, m => m is ("contextlite.index.rebuilds", 1, "alpha"));
        Assert.Contains(measurements, m => m.Instrument == "contextlite.index.rebuild.duration" && m.Value > 0 && m.Workspace == "alpha");
        using (var search = await node.PostJsonAsync("/api/v1/search", """{"query":"shader texture pixels","mode":"semantic","k":5}""", "alpha"))
        {
            var body = JsonNode.Parse(await search.Content.ReadAsStringAsync(timeout.Token))!;
            Assert.True((bool)body["retrieval"]!["clusters_used"]!);
        }

        // Act 2: the first indexer stops; a second takes the lease and rebuilds a workspace that became stale.
        await first.DisposeAsync();
        await using var second = await StartIndexerAsync(redis, node, "indexer-b");
        await IndexerModeNode.IngestAsync(node, "alpha", 40, 60); // 20 of 60 changed: past the default fraction of 0.2.
        var rebuilt = await WaitForAsync(async () =>
            (await DescribeAsync(node, "alpha"))?["clusters"] is { } c && (long)c["version"]! == 2 ? c : null, timeout.Token, second);
        Assert.Equal("indexer-b", (string?)rebuilt["last_build"]!["built_by"]);
        Assert.Equal(8, (int)rebuilt["k"]!); // ⌈√60⌉
        var secondHealth = await second.Client.GetFromJsonAsync<JsonNode>("/health", timeout.Token);
        Assert.True((bool)secondHealth!["lease"]!["held"]!);
        Assert.Equal("indexer-b", (string?)secondHealth["lease"]!["holder"]);
    }

    private static string? WorkspaceTag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "workspace")
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private static async Task<JsonNode?> DescribeAsync(NodeHost node, string workspace)
    {
        using var response = await node.GetAsync($"/api/v1/workspaces/{workspace}");
        return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, CancellationToken cancellationToken, IndexerHost? indexer = null)
        where T : class
    {
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException) when (indexer is not null)
            {
                // Say what the indexer was doing: its own logs are not in the test output.
                throw new TimeoutException("Gave up waiting; the indexer's health: " + await indexer.Client.GetStringAsync("/health", CancellationToken.None));
            }
        }
    }

    private static Task<IndexerHost> StartIndexerAsync(RedisServer redis, NodeHost node, string instance) =>
        IndexerHost.StartAsync(redis, node.BaseAddress, instance);
}
