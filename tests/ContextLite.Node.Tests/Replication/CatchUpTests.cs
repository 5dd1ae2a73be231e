using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Quotas;
using Xunit.Abstractions;
using static ContextLite.Node.Tests.Replication.ReplicationCluster;

namespace ContextLite.Node.Tests.Replication;

/// <summary>A replica that was away catches up by itself: a snapshot of everything written meanwhile, then the tail.</summary>
public sealed class CatchUpTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const int Documents = 2000;

    [Fact]
    public async Task ReplicaStartedAfterTheWrites_CatchesUpToTheSameDocuments_AndReportsLagInHealth()
    {
        // Arrange: node-a alone takes 2,000 documents (one copy each: its replica is not there). Pages of 256 (the default).
        await using var cluster = new ReplicationCluster(redis, batchItems: 256);
        await cluster.StartAsync(0);
        for (var batch = 0; batch < Documents / 200; batch++)
        {
            var items = new JsonArray(Enumerable.Range(batch * 200, 200).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = $"d{i}",
                ["path"] = $"docs/d{i}.md",
                ["content"] = $"# Document {i}\n\n" + string.Join(' ', Enumerable.Range(0, 60).Select(k => $"word{(i * 31 + k * 7) % 997}")),
            }).ToArray());
            using var written = await cluster[0].PostJsonAsync("/api/v1/documents/bulk", items.ToJsonString(), "catchup");
            Assert.Equal(HttpStatusCode.OK, written.StatusCode);
            Assert.Equal(1, (int)JsonNode.Parse(await written.Content.ReadAsStringAsync())!["replication"]!["copies"]!);
        }

        // Act
        var clock = Stopwatch.StartNew();
        await cluster.StartAsync(1);
        var caughtUp = await EventuallyAsync(async () =>
        {
            var health = await cluster[1].GetJsonAsync<JsonObject>("/health?workspace=catchup");
            var copy = health["replication"]?["workspaces"]?["catchup"];
            return copy?["role"]?.GetValue<string>() == "replica" && copy["lag"]?.GetValue<long>() == 0 && !copy["resyncing"]!.GetValue<bool>();
        }, TimeSpan.FromSeconds(120));
        var elapsed = clock.Elapsed;

        // Assert
        Assert.True(caughtUp, "node-b never reported the workspace caught up");
        var described = await cluster[1].GetJsonAsync<JsonObject>("/api/v1/workspaces/catchup");
        Assert.Equal(Documents, described["documents"]!.GetValue<long>());
        // Both copies the same (read until neither answers "catching up": on a loaded machine a slow pull can hand the
        // primary role to the replica, and the old primary then catches up in turn).
        var expected = await EventuallyContentsAsync(cluster, 0);
        Assert.True(await EventuallyAsync(async () => (await ContentsAsync(cluster[1], "catchup")).SequenceEqual(expected), TimeSpan.FromSeconds(30)));
        Assert.Equal(Documents, expected.Count);
        output.WriteLine($"caught up {Documents} documents in {elapsed.TotalSeconds:0.00} s from the replica's start = {Documents / elapsed.TotalSeconds:0} documents/s");
    }

    private static async Task<SortedDictionary<string, string>> EventuallyContentsAsync(ReplicationCluster cluster, int node)
    {
        SortedDictionary<string, string>? contents = null;
        Assert.True(await EventuallyAsync(async () => (contents = await ContentsAsync(cluster[node], "catchup")).Count > 0, TimeSpan.FromSeconds(30)));
        return contents!;
    }
}
