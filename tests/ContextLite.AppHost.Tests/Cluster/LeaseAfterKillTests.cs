using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContextLite.AppHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>
/// A node killed (SIGKILL, no shutdown) while it holds a workspace's only concurrency lease blocks the other
/// nodes only until the lease expires in Redis; restarted, it rejoins and serves its data again.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class LeaseAfterKillTests(FailoverFixture cluster, ITestOutputHelper output)
{
    private const string Holder = "node-1";
    private const string Observer = "node-2";
    private const int Documents = 300;

    [Fact]
    public async Task KillNine_NodeHoldingTheOnlyLease_OthersRefusedUntilItExpires_ThenItRejoinsWithItsData()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        using var holder = cluster.Node(Holder);
        using var observer = cluster.Node(Observer);
        holder.Timeout = TimeSpan.FromMinutes(2);
        foreach (var client in new[] { holder, observer })
        {
            using var ingest = await SendAsync(client, HttpMethod.Post, "/api/v1/documents/bulk", Corpus(), timeout.Token);
            Assert.True(ingest.StatusCode == HttpStatusCode.OK, await ingest.Content.ReadAsStringAsync(timeout.Token));
        }

        // Z3 over 250 candidates with 30 s to prove optimality: the request is surely in flight, holding the lease,
        // when its node dies. Fired again if one of the observer's probes took the lease first.
        Task<HttpResponseMessage> slow = null!;
        var seen = new List<string>();
        var caught = false;
        for (var attempt = 0; attempt < 5 && !caught; attempt++)
        {
            slow = SendAsync(holder, HttpMethod.Post, "/api/v1/assemble",
                new JsonObject { ["query"] = "term1 term2 term3 term5 term8 term13 term21 term34", ["max_tokens"] = 100000, ["max_documents"] = 40, ["solver"] = "z3" },
                timeout.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(700), timeout.Token);
            if (slow.IsCompleted)
            {
                (await slow).Dispose();
                continue;
            }

            caught = await RefusedWithinAsync(observer, TimeSpan.FromSeconds(10), seen, timeout.Token);
        }

        Assert.True(caught, $"{Holder}'s slow request was never caught holding the lease; {Observer} answered {string.Join(", ", seen.Distinct())}");

        var pid = cluster.ProcessId(Holder);
        Assert.NotNull(pid);
        string killed;
        using (var process = Process.GetProcessById(pid.Value))
        {
            killed = $"{process.ProcessName} ({pid}): {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}";
            // DCP starts a project through `dotnet run`: the node is its child, so the whole tree gets SIGKILL.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(timeout.Token);
        }

        var killedAt = Stopwatch.StartNew();
        output.WriteLine("killed " + killed);
        var outcome = await Record.ExceptionAsync(async () =>
        {
            using var answer = await slow;
            Assert.Fail($"the request in flight on the killed node still got an answer: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(timeout.Token)} (killed {killed})");
        });
        Assert.IsNotType<Xunit.Sdk.FailException>(outcome);

        HttpStatusCode status;
        var refusedAfterKill = 0;
        do
        {
            using var retry = await QuickAsync(observer, timeout.Token);
            status = retry.StatusCode;
            refusedAfterKill += status == HttpStatusCode.TooManyRequests ? 1 : 0;
            await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
        }
        while (status == HttpStatusCode.TooManyRequests && killedAt.Elapsed < TimeSpan.FromSeconds(5 * FailoverFixture.LeaseTtlSeconds));

        output.WriteLine($"{Observer} refused {refusedAfterKill} probes; the dead node's lease was gone after {killedAt.Elapsed.TotalSeconds:0.0} s (TTL {FailoverFixture.LeaseTtlSeconds} s)");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(refusedAfterKill > 0, "the lease of the killed node should still hold right after the kill: nothing released it");
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(4 * FailoverFixture.LeaseTtlSeconds), $"the lease took {killedAt.Elapsed.TotalSeconds:0.0} s to expire");

        // Restarted, the node serves every document it had acknowledged, directly and through the gateway.
        var start = await cluster.App.ResourceCommands.ExecuteCommandAsync(Holder, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(start.Success, start.Message);
        await cluster.App.ResourceNotifications.WaitForResourceHealthyAsync(Holder, timeout.Token);
        using var restarted = cluster.Node(Holder);
        using (var described = await restarted.GetAsync($"/api/v1/workspaces/{FailoverFixture.LeaseWorkspace}", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, described.StatusCode);
            Assert.Equal(Documents, (int)(await described.JsonAsync(timeout.Token))["documents"]!);
        }

        using var gateway = cluster.Gateway();
        var owned = await WorkspaceOwnedByAsync(gateway, Holder, timeout.Token);
        Assert.True(owned is not null, $"no workspace was routed to the restarted {Holder} within a minute");
    }

    /// <summary>Writes to fresh workspaces through the gateway until one lands on <paramref name="node"/> (its health restored there).</summary>
    private static async Task<string?> WorkspaceOwnedByAsync(HttpClient gateway, string node, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < TimeSpan.FromMinutes(1); i++)
        {
            var workspace = $"rejoin-{i % 12:D2}";
            using var response = await gateway.IngestAsync(workspace, "note.md", "Written after the restart.", cancellationToken);
            if (response.IsSuccessStatusCode && response.ServedBy() == node)
            {
                return workspace;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }

        return null;
    }

    private static async Task<bool> RefusedWithinAsync(HttpClient node, TimeSpan timeout, List<string> seen, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            using var response = await QuickAsync(node, cancellationToken);
            seen.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (response.StatusCode == HttpStatusCode.TooManyRequests
                && (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("max_concurrent_requests", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return false;
    }

    private static Task<HttpResponseMessage> QuickAsync(HttpClient node, CancellationToken cancellationToken) =>
        SendAsync(node, HttpMethod.Post, "/api/v1/assemble",
            new JsonObject { ["query"] = "term1", ["max_tokens"] = 200, ["max_documents"] = 2, ["solver"] = "greedy" }, cancellationToken);

    private static JsonArray Corpus()
    {
        var words = Enumerable.Range(0, 40).Select(i => $"term{i}").ToArray();
        return new JsonArray(Enumerable.Range(0, Documents).Select(i => (JsonNode)new JsonObject
        {
            ["path"] = $"d{i}.txt",
            ["content"] = string.Join(' ', Enumerable.Range(0, 30).Select(k => words[(i * 7 + k * 3) % words.Length])),
        }).ToArray());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(ContextLiteRequests.WorkspaceHeader, FailoverFixture.LeaseWorkspace);
        return client.SendAsync(request, cancellationToken);
    }
}
