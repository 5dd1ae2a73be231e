using System.Diagnostics;
using System.Net;
using System.Text;
using ContextLite.AppHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>Quotas are per workspace across the cluster: every node draws from one bucket in Redis.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QuotaTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int MaxTokens = 600;

    [Fact]
    public async Task TokensPerMinute_RequestsSpreadOverTwoNodes_ShareOneBucket()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        // Enough relevant text that every assemble uses (and so keeps) most of its max_tokens; the unused part
        // is refunded, so only what is used drains the bucket. Written once through the gateway: the workspace's two
        // copies (replication factor 2) are the two nodes the assembles then alternate between.
        var content = LongDocument();
        using (var gateway = cluster.Gateway())
        using (var ingest = await gateway.IngestAsync(ClusterFixture.QuotaWorkspace, "docs/buckets.md", content, timeout.Token))
        {
            Assert.True(ingest.IsSuccessStatusCode, $"{(int)ingest.StatusCode}: {await ingest.Content.ReadAsStringAsync(timeout.Token)}");
        }

        var holders = await HoldersAsync(timeout.Token);
        Assert.True(holders.Count == 2, $"the workspace should be on two nodes, found on {string.Join(", ", holders)}");
        using var node1 = cluster.Node(holders[0]);
        using var node2 = cluster.Node(holders[1]);
        var clients = new[] { node1, node2 };

        var granted = new Dictionary<string, long> { [holders[0]] = 0, [holders[1]] = 0 };
        HttpResponseMessage? refused = null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 40 && refused is null; i++)
        {
            var node = holders[i % 2];
            // A different query each time: a cached answer is charged too, but this keeps the test about the bucket.
            var response = await clients[i % 2].AssembleAsync(ClusterFixture.QuotaWorkspace, $"token bucket refill shared quota {i}", MaxTokens, timeout.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
                break;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(node, response.ServedBy());
            granted[node] += (int)(await response.JsonAsync(timeout.Token))["total_tokens"]!;
            response.Dispose();
        }

        clock.Stop();
        output.WriteLine($"granted before the first 429: {string.Join(", ", granted)} in {clock.ElapsedMilliseconds} ms");
        using (refused)
        {
            Assert.NotNull(refused);
            Assert.True(granted.Values.All(g => g > 0), $"both nodes should have granted before the refusal: {string.Join(", ", granted)}");
            // One shared bucket: the sum over both nodes stays within the limit plus what refilled meanwhile
            // (two independent buckets would have granted up to twice the limit).
            var refill = ClusterFixture.QuotaTokensPerMinute * clock.Elapsed.TotalMinutes;
            Assert.True(
                granted.Values.Sum() <= ClusterFixture.QuotaTokensPerMinute + refill + 1,
                $"granted {string.Join(", ", granted)} with a limit of {ClusterFixture.QuotaTokensPerMinute} + {refill:F0} refilled");
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 carries Retry-After in seconds");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.JsonAsync(timeout.Token);
            Assert.Equal("max_tokens_per_minute", (string?)problem["limit"]);
        }
    }

    /// <summary>The nodes that hold the quota workspace's document, once its replica has it (up to a minute).</summary>
    private async Task<List<string>> HoldersAsync(CancellationToken cancellationToken)
    {
        var holders = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            holders.Clear();
            foreach (var name in ClusterFixture.NodeNames)
            {
                using var node = cluster.Node(name);
                using var listed = await node.ListDocumentsAsync(ClusterFixture.QuotaWorkspace, cancellationToken);
                if (listed.IsSuccessStatusCode && (long)(await listed.JsonAsync(cancellationToken))["total"]! > 0)
                {
                    holders.Add(name);
                }
            }

            if (holders.Count >= 2)
            {
                break;
            }

            await Task.Delay(500, cancellationToken);
        }

        return holders;
    }

    private static string LongDocument()
    {
        var text = new StringBuilder("# Token buckets\n\n");
        for (var i = 0; i < 40; i++)
        {
            text.Append("Paragraph ").Append(i)
                .Append(": a token bucket refill gives every workspace a shared quota; the bucket holds tokens, ")
                .Append("each query reserves its max tokens from the shared bucket and the refill restores the quota ")
                .Append("continuously, so a token bucket with a shared quota limits every node of the cluster alike.\n\n");
        }

        return text.ToString();
    }
}
