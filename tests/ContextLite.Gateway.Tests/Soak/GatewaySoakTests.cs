using System.Text.Json.Nodes;
using ContextLite.Benchmarks.Soak;
using ContextLite.Gateway.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ContextLite.Gateway.Tests.Soak;

/// <summary>
/// The short mode of the cluster soak (<c>tests/scripts/soak-cluster.sh</c> runs the long one): the benchmark's
/// soak clients drive mixed ingest, assemble and search over many workspaces through the gateway of three nodes
/// whose quotas live in one redis-server.
/// </summary>
public sealed class GatewaySoakTests(ITestOutputHelper output)
{
    private const long TokensPerMinute = 5000;

    [Fact]
    public async Task MixedTrafficThroughTheGateway_NoErrors_QuotasHoldInTheSharedBuckets()
    {
        using var redis = await RedisServer.StartAsync();
        var cluster = new TestCluster
        {
            NodeSettings = new Dictionary<string, string?>
            {
                ["quotas:redis"] = redis.ConnectionString,
                ["cluster:resource_limits:default:max_tokens_per_minute"] = TokensPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            GatewaySettings = new Dictionary<string, string?> { ["ConnectionStrings:cache"] = redis.ConnectionString },
        };
        await cluster.InitializeAsync();
        try
        {
            var settings = new SoakSettings(
                cluster.Client.BaseAddress!, TimeSpan.FromSeconds(20), Workspaces: 30, Concurrency: 4, Pid: null, Nodes: [], TokensPerMinute, Seed: 7);
            var runner = new SoakRunner(settings, TextWriter.Null);

            await runner.RunAsync(CancellationToken.None);

            var (report, passed) = SoakReport.Build(settings, runner.Operations, runner.Memory, "GatewaySoakTests");
            output.WriteLine(report);
            Assert.True(passed, report);
            Assert.DoesNotContain(runner.Operations, o => o.Status is 0 or >= 500);
            Assert.Contains(runner.Operations, o => o.Status == 429); // The buckets were drained: the limit was tested, not idle.
            Assert.True(runner.Operations.Count(o => o.Status is 200 or 201) > 100, report);
            // Every workspace served an assemble or a search drew on its token bucket in Redis, the one all nodes share.
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            var buckets = server.Keys(pattern: "contextlite:quota:*:tokens").Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
            var charged = runner.Operations.Where(o => o.Status == 200 && o.Kind != "ingest").Select(o => o.Workspace).Distinct();
            Assert.All(charged, w => Assert.Contains($"contextlite:quota:{{{w}}}:tokens", buckets));

            using var client = new HttpClient();
            foreach (var node in cluster.Nodes)
            {
                var health = JsonNode.Parse(await client.GetStringAsync(new Uri($"http://{node.Endpoint}/health")))!;
                Assert.Equal("healthy", (string?)health["status"]); // Redis answered throughout: the buckets were the cluster's.
                Assert.True((int)health["workspaces"]!["total_workspaces"]! > 0, $"{node.NodeId} got no workspace");
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
