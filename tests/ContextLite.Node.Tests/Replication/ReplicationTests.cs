using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Quotas;
using static ContextLite.Node.Tests.Replication.ReplicationCluster;

namespace ContextLite.Node.Tests.Replication;

/// <summary>
/// Replication between two real nodes: acknowledged writes are on both, only the primary writes, a stale epoch is
/// refused, the replica takes over when the primary stops, and the old primary catches up when it returns.
/// </summary>
public sealed class ReplicationTests : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly ReplicationCluster _pair;

    public ReplicationTests(RedisFixture redis) => _pair = new ReplicationCluster(redis);

    public async Task InitializeAsync()
    {
        await _pair.StartAsync(0);
        await _pair.StartAsync(1);
    }

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task Write_AcknowledgedWithTwoCopies_IsOnTheReplicaWhenAnswered()
    {
        // Act: node-a takes the workspace's first epoch with its first write.
        using var first = await WriteAsync(_pair[0], "acked", "d0", "zero");
        var acked = new List<string>();
        for (var i = 1; i < 20; i++)
        {
            using var written = await WriteAsync(_pair[0], "acked", $"d{i}", $"text {i}");
            Assert.Equal(HttpStatusCode.Created, written.StatusCode);
            var body = JsonNode.Parse(await written.Content.ReadAsStringAsync())!;
            Assert.Equal(2, body["replication"]!["copies"]!.GetValue<int>());
            Assert.Equal(2, body["replication"]!["required"]!.GetValue<int>());
            acked.Add($"d{i}");
        }

        // Assert: read straight from the replica without waiting.
        var onReplica = await ContentsAsync(_pair[1], "acked");
        Assert.All(acked, id => Assert.True(onReplica.ContainsKey(id), $"{id} acknowledged with 2 copies is missing on the replica"));
        Assert.Equal(await ContentsAsync(_pair[0], "acked"), onReplica);
    }

    [Fact]
    public async Task Write_ToTheReplica_Is421NamingThePrimary_AndAStaleEpochIs409()
    {
        // Arrange
        using var first = await WriteAsync(_pair[0], "fenced", "d0", "zero");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var epoch = JsonNode.Parse(await first.Content.ReadAsStringAsync())!["replication"]!["epoch"]!.GetValue<long>();

        // Act
        using var misdirected = await WriteAsync(_pair[1], "fenced", "d1", "one");
        using var stale = await WriteAsync(_pair[0], "fenced", "d2", "two", new Dictionary<string, string> { ["X-ContextLite-Epoch"] = (epoch + 5).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var current = await WriteAsync(_pair[0], "fenced", "d3", "three", new Dictionary<string, string> { ["X-ContextLite-Epoch"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        // Assert
        Assert.Equal(HttpStatusCode.MisdirectedRequest, misdirected.StatusCode);
        Assert.Equal("application/problem+json", misdirected.Content.Headers.ContentType?.MediaType);
        Assert.Equal("node-a", misdirected.Headers.GetValues("X-ContextLite-Primary").Single());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
        var onA = await ContentsAsync(_pair[0], "fenced");
        Assert.Equal(["d0", "d3"], onA.Keys);
    }

    [Fact]
    public async Task PrimaryStopped_ReplicaTakesOver_ThenTheOldPrimaryCatchesUpAndIsFenced()
    {
        // Arrange: 30 documents acknowledged by node-a with two copies, one deleted.
        for (var i = 0; i < 30; i++)
        {
            using var written = await WriteAsync(_pair[0], "failover", $"d{i}", $"before {i}");
            Assert.True(written.IsSuccessStatusCode);
        }

        using (var deleted = await DeleteAsync(_pair[0], "failover", "d7"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Act 1: node-a goes away; node-b must accept writes after a failover timeout (3 s; up to a minute is allowed
        // for a loaded machine, the waits below likewise: they end as soon as the condition holds).
        await _pair.StopAsync(0);
        var tookOver = await EventuallyAsync(async () =>
        {
            using var probe = await WriteAsync(_pair[1], "failover", "during0", "during 0");
            return probe.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(60));
        Assert.True(tookOver, "node-b never took over the writes of workspace 'failover'");
        for (var i = 1; i < 10; i++)
        {
            using var written = await WriteAsync(_pair[1], "failover", $"during{i}", $"during {i}");
            Assert.Equal(HttpStatusCode.Created, written.StatusCode);
            var report = JsonNode.Parse(await written.Content.ReadAsStringAsync())!["replication"]!;
            Assert.Equal(1, report["copies"]!.GetValue<int>());
            Assert.Equal(2, report["epoch"]!.GetValue<long>());
        }

        using (var updated = await WriteAsync(_pair[1], "failover", "d3", "changed while a was down"))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        // Act 2: node-a comes back over its old data.
        await _pair.StartAsync(0);

        // Assert: it catches up (writes made while it was down, the update, the delete) and refuses writes (fenced).
        var expected = await ContentsAsync(_pair[1], "failover");
        Assert.Equal(39, expected.Count);
        var caughtUp = await EventuallyAsync(async () => (await ContentsAsync(_pair[0], "failover")).SequenceEqual(expected), TimeSpan.FromSeconds(60));
        Assert.True(caughtUp, "node-a did not catch up with node-b");
        using var fenced = await WriteAsync(_pair[0], "failover", "late", "late write to the old primary");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, fenced.StatusCode);
        Assert.Equal("node-b", fenced.Headers.GetValues("X-ContextLite-Primary").Single());

        // And node-b's next writes reach both copies again.
        using var after = await WriteAsync(_pair[1], "failover", "after", "after the return");
        Assert.Equal(2, JsonNode.Parse(await after.Content.ReadAsStringAsync())!["replication"]!["copies"]!.GetValue<int>());
        Assert.True((await ContentsAsync(_pair[0], "failover")).ContainsKey("after"));
    }

    [Fact]
    public async Task WorkspaceDeletedOnThePrimary_ReplicaDropsItsCopy()
    {
        // Arrange
        using (var written = await WriteAsync(_pair[0], "doomed", "d0", "zero"))
        {
            Assert.Equal(2, JsonNode.Parse(await written.Content.ReadAsStringAsync())!["replication"]!["copies"]!.GetValue<int>());
        }

        // Act
        using var deleted = await _pair[0].Client.DeleteAsync("/api/v1/workspaces/doomed");

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var dropped = await EventuallyAsync(async () =>
        {
            using var described = await _pair[1].Client.GetAsync("/api/v1/workspaces/doomed");
            return described.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(60));
        Assert.True(dropped, "node-b kept its copy of the deleted workspace");
    }

    private static Task<HttpResponseMessage> DeleteAsync(Infrastructure.NodeHost node, string workspace, string id)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/documents/" + id);
        request.Headers.Add("X-Workspace-ID", workspace);
        return node.Client.SendAsync(request);
    }
}
