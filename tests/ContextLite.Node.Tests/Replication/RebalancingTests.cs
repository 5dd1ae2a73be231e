using System.Net;
using ContextLite.Cluster;
using ContextLite.Node.Tests.Quotas;
using static ContextLite.Node.Tests.Replication.ReplicationCluster;

namespace ContextLite.Node.Tests.Replication;

/// <summary>
/// A node added to the cluster: the workspaces whose placement now includes it are copied to it, and the copy on the
/// node that left their placement is dropped only after that (the primary among them hands over first).
/// </summary>
public sealed class RebalancingTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Workspaces = 12;

    [Fact]
    public async Task NodeAdded_MovedWorkspacesAreCopiedThenDropped_NothingLostAndWritesGoOn()
    {
        await using var cluster = new ReplicationCluster(redis, nodes: 3);
        int[] before = [0, 1];
        await cluster.StartAsync(0, before);
        await cluster.StartAsync(1, before);
        var written = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        for (var w = 0; w < Workspaces; w++)
        {
            var workspace = $"move-{w:D2}";
            written[workspace] = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (var d = 0; d < 5; d++)
            {
                using var answer = await WriteAsync(cluster[w % 2], workspace, $"d{d}", $"text {d} of {workspace}");
                Assert.True(answer.IsSuccessStatusCode, $"{workspace}/d{d}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
                written[workspace][$"d{d}"] = $"text {d} of {workspace}";
            }
        }

        // Act: node-c joins; the two others restart with it in their peers (a rolling change of the static endpoints).
        await cluster.StartAsync(2);
        await cluster.StopAsync(0);
        await cluster.StartAsync(0);
        await cluster.StopAsync(1);
        await cluster.StartAsync(1);

        // Assert: each workspace ends on exactly the two nodes of its new placement, with every document.
        var ring = new HashRing(Ids);
        var selector = new NodeSelector(new ClusterOptions(), replicationFactor: 2);
        var moved = written.Keys.Count(w => selector.Placement(w, ring).Take(2).Contains("node-c"));
        Assert.True(moved > 0, "no workspace's placement includes node-c: the test shows nothing");
        var handedOver = Enumerable.Range(0, Workspaces).Count(w => !selector.Placement($"move-{w:D2}", ring).Take(2).Contains(Ids[w % 2]));
        Assert.True(handedOver > 0, "no primary left its workspace's placement: the hand-over is not exercised");
        string? problem = null;
        var settled = await EventuallyAsync(async () =>
        {
            problem = await MisplacedAsync(cluster, selector, ring, written);
            return problem is null;
        }, TimeSpan.FromSeconds(120));
        Assert.True(settled, problem);

        // And every workspace takes writes on exactly one node (its primary), which reach both placement nodes.
        foreach (var workspace in written.Keys)
        {
            var accepted = 0;
            var answers = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                using var answer = await WriteAsync(cluster[i], workspace, "after", "after the move");
                accepted += answer.IsSuccessStatusCode ? 1 : 0;
                answers.Add($"{Ids[i]}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
                Assert.True(answer.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.MisdirectedRequest, string.Join(Environment.NewLine, answers));
            }

            Assert.True(accepted == 1, $"{workspace} was written on {accepted} nodes: {string.Join(Environment.NewLine, answers)}");
            written[workspace]["after"] = "after the move";
        }

        // The writes were acknowledged with both copies, but allow a loaded machine's slow pull (it ends when it holds).
        Assert.True(await EventuallyAsync(async () => (problem = await MisplacedAsync(cluster, selector, ring, written)) is null, TimeSpan.FromSeconds(60)), problem);
    }

    private static async Task<string?> MisplacedAsync(
        ReplicationCluster cluster, NodeSelector selector, HashRing ring, Dictionary<string, SortedDictionary<string, string>> written)
    {
        foreach (var (workspace, expected) in written)
        {
            var placement = selector.Placement(workspace, ring).Take(2).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < 3; i++)
            {
                SortedDictionary<string, string> held;
                try
                {
                    held = await ContentsAsync(cluster[i], workspace);
                }
                catch (HttpRequestException ex)
                {
                    var views = new List<string>();
                    for (var j = 0; j < 3; j++)
                    {
                        var health = await cluster[j].GetJsonAsync<System.Text.Json.Nodes.JsonObject>("/health?workspace=" + workspace);
                        views.Add($"{Ids[j]}: {health["replication"]?.ToJsonString()}");
                    }

                    return $"{workspace} on {Ids[i]}: {ex.Message}; replication views: {string.Join(Environment.NewLine, views)}";
                }

                if (placement.Contains(Ids[i]) && !held.SequenceEqual(expected))
                {
                    return $"{workspace} on {Ids[i]} (in its placement) has {held.Count} of {expected.Count} documents";
                }

                if (!placement.Contains(Ids[i]) && held.Count > 0)
                {
                    return $"{workspace} still has a copy on {Ids[i]}, outside its placement {string.Join(", ", placement)}";
                }
            }
        }

        return null;
    }
}
