using System.Text.Json;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Indexer.Tests.Infrastructure;

/// <summary>
/// A real node in indexer mode for the rebuild tests: it reports changed workspaces to Redis (flushed every 100 ms)
/// and leaves building clusters to an indexer, from 20 chunks on; and documents on four topics to cluster.
/// </summary>
internal static class IndexerModeNode
{
    private static readonly string[] s_topics = ["database index btree page", "network socket packet latency", "compiler parser token grammar", "graphics shader pixel texture"];

    public static Task<NodeHost> StartAsync(RedisServer redis) =>
        NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["membership:redis"] = redis.ConnectionString,
            ["membership:heartbeat_seconds"] = "1",
            ["clustering:build_on_node"] = "false",
            ["clustering:min_chunks"] = "20",
            ["internal:cluster_key"] = IndexerHost.ClusterKey,
            ["internal:dirty_flush_ms"] = "100",
        });

    /// <summary>Writes documents d{from} … d{to − 1} (topic i mod 4) in bulk requests of 500, then waits for their vectors.</summary>
    public static async Task IngestAsync(NodeHost node, string workspace, int from, int to)
    {
        for (var start = from; start < to; start += 500)
        {
            var docs = Enumerable.Range(start, Math.Min(500, to - start)).Select(i => new { id = $"d{i}", path = $"f{i}.txt", content = $"{s_topics[i % 4]} note {i}" });
            using var write = await node.PostJsonAsync("/api/v1/documents/bulk", JsonSerializer.Serialize(docs), workspace);
            write.EnsureSuccessStatusCode();
        }

        await node.WaitForEmbeddingsAsync();
    }
}
