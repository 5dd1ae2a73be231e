using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ContextLite.AppHost.Tests.Infrastructure;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>
/// A node going down costs exactly its own workspaces: they get a 503 naming it, everyone else carries on.
/// Runs on its own cluster (<see cref="FailoverCollection"/>) because it stops node-3.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class FailoverTests(FailoverFixture cluster)
{
    private const string StoppedNode = "node-3";

    [Fact]
    public async Task StopNode_OthersWorkspaces_StayUpAndTheLostOnesGet503NamingTheNode()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        using var gateway = cluster.Gateway();
        var placement = new Dictionary<string, string>();
        for (var i = 0; i < 30; i++)
        {
            var workspace = $"failover-{i:D2}";
            using var ingest = await gateway.IngestAsync(workspace, "readme.md", $"Workspace {i} before the failure.", timeout.Token);
            Assert.Equal(HttpStatusCode.Created, ingest.StatusCode);
            placement[workspace] = ingest.ServedBy()!;
        }

        var lost = placement.Where(p => p.Value == StoppedNode).Select(p => p.Key).ToList();
        var kept = placement.Where(p => p.Value != StoppedNode).Select(p => p.Key).ToList();
        Assert.NotEmpty(lost);

        var result = await cluster.App.ResourceCommands.ExecuteCommandAsync(StoppedNode, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(result.Success, result.Message);

        // The gateway needs a few 2 s probes to take the node out; meanwhile the others must not notice. A request
        // already proxied to the stopped node waits on Aspire's endpoint proxy, hence the per-request timeout.
        var keptRequests = 0;
        var keptFailures = new List<string>();
        var waited = Stopwatch.StartNew();
        var lostAnswers = new Dictionary<string, Answer>();
        while (true)
        {
            foreach (var workspace in kept)
            {
                // Not proxied to the stopped node, so no reason to give up early: on a loaded machine a read can take
                // over 3 s, which is slow but not a failure.
                var answer = await ReadAsync(gateway, workspace, TimeSpan.FromSeconds(30), timeout.Token);
                keptRequests++;
                if (answer.Status != HttpStatusCode.OK || answer.Node != placement[workspace])
                {
                    keptFailures.Add($"{workspace}: {answer}");
                }
            }

            lostAnswers.Clear();
            foreach (var workspace in lost)
            {
                lostAnswers[workspace] = await ReadAsync(gateway, workspace, TimeSpan.FromSeconds(3), timeout.Token);
            }

            if (lostAnswers.Values.All(a => a.Status == HttpStatusCode.ServiceUnavailable) || waited.Elapsed > TimeSpan.FromSeconds(45))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
        }

        Assert.True(keptFailures.Count == 0, $"{keptFailures.Count} of {keptRequests} requests for workspaces on the running nodes failed: {string.Join("; ", keptFailures.Take(10))}");
        Assert.All(lostAnswers, answer =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Value.Status);
            Assert.Equal("application/problem+json", answer.Value.MediaType);
            var problem = JsonNode.Parse(answer.Value.Body)!;
            Assert.Equal(StoppedNode, (string?)problem["node"]);
            Assert.Contains(StoppedNode, (string?)problem["detail"], StringComparison.Ordinal);
        });

        using var health = await gateway.GetAsync("/health", timeout.Token);
        var cluster3 = await health.JsonAsync(timeout.Token);
        Assert.Equal("degraded", (string?)cluster3["status"]);
        Assert.Equal(2, (int?)cluster3["healthy_nodes"]);
    }

    private static async Task<Answer> ReadAsync(HttpClient gateway, string workspace, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var perRequest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        perRequest.CancelAfter(wait);
        try
        {
            using var response = await gateway.ListDocumentsAsync(workspace, perRequest.Token);
            var body = await response.Content.ReadAsStringAsync(perRequest.Token);
            return new Answer(response.StatusCode, response.ServedBy(), response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Answer(null, null, null, $"(no answer within {wait.TotalSeconds:0} s)");
        }
    }

    private sealed record Answer(HttpStatusCode? Status, string? Node, string? MediaType, string Body);
}
