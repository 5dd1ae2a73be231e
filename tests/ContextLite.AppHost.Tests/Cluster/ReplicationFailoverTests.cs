using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContextLite.AppHost.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContextLite.AppHost.Tests.Cluster;

/// <summary>
/// Every workspace on two of the three nodes: with writes and reads running over 20 workspaces through the gateway,
/// each node in turn is killed (SIGKILL of its whole process tree) and started again. Reads keep being answered,
/// writes resume after the failover, and at the end every acknowledged write is on both copies of its workspace.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class ReplicationFailoverTests(ReplicationFixture cluster, ITestOutputHelper output)
{
    private const int Workspaces = 20;

    [Fact]
    public async Task KillEachNodeInTurnUnderTraffic_NoAcknowledgedWriteLost_AndTheRestartedNodeCatchesUp()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        using var gateway = cluster.Gateway();
        var acked = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);     // "workspace/id"
        var attempted = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var copiesSeen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);   // "phase copies=n"
        var phase = "all up";
        var statuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        // Seed every workspace so each has a primary and two copies before the first kill.
        for (var w = 0; w < Workspaces; w++)
        {
            using var seeded = await WriteAsync(gateway, Name(w), "seed", timeout.Token);
            Assert.True(seeded.IsSuccessStatusCode, $"seeding {Name(w)}: {(int)seeded.StatusCode} {await seeded.Content.ReadAsStringAsync(timeout.Token)}");
            acked[$"{Name(w)}/seed"] = 0;
        }

        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var next = 0;
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stopTraffic.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                var workspace = Name(n % Workspaces);
                var id = $"w{n}";
                attempted[$"{workspace}/{id}"] = 0;
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopTraffic.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    using var answer = await WriteAsync(gateway, workspace, id, attempt.Token);
                    statuses.AddOrUpdate("write " + (int)answer.StatusCode, 1, (_, c) => c + 1);
                    if (answer.IsSuccessStatusCode)
                    {
                        acked[$"{workspace}/{id}"] = 0;
                        var copies = (int)(await answer.JsonAsync(attempt.Token))["replication"]!["copies"]!;
                        copiesSeen.AddOrUpdate($"{Volatile.Read(ref phase)}: copies={copies}", 1, (_, c) => c + 1);
                    }
                    else
                    {
                        await Task.Delay(100, stopTraffic.Token);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    statuses.AddOrUpdate("write error", 1, (_, c) => c + 1);
                }
            }
        })).ToList();

        // Reads beside the writes: assemble over the same workspaces, counted by status.
        writers.Add(Task.Run(async () =>
        {
            for (var n = 0; !stopTraffic.IsCancellationRequested; n++)
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopTraffic.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    using var answer = await gateway.AssembleAsync(Name(n % Workspaces), "replicated text document", 400, attempt.Token);
                    statuses.AddOrUpdate("assemble " + (int)answer.StatusCode, 1, (_, c) => c + 1);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    statuses.AddOrUpdate("assemble error", 1, (_, c) => c + 1);
                }
            }
        }));

        foreach (var victim in ClusterFixture.NodeNames)
        {
            // Some traffic with every node up before each kill, and the node restarted last caught up: 5 s used to be
            // assumed enough for that, but on a loaded machine a copy still catching up could be the only one left
            // of a workspace whose primary is killed next.
            await Task.Delay(TimeSpan.FromSeconds(5), timeout.Token);
            var settledBefore = await AllCaughtUpAsync(gateway, timeout.Token);
            output.WriteLine($"before killing {victim}: {settledBefore}");
            Kill(victim);
            var killedAt = Stopwatch.StartNew();
            Volatile.Write(ref phase, victim + " down");

            // Reads: every workspace answers through the gateway again.
            var readsBack = await AllWorkspacesAsync(token => w => ReadsAsync(gateway, Name(w), token), timeout.Token);
            var readsAfter = killedAt.Elapsed;

            // Writes: every workspace accepts one (those whose primary died after the failover).
            var writesBack = await AllWorkspacesAsync(token => async w =>
            {
                using var probe = await WriteAsync(gateway, Name(w), $"probe-{victim}-{w}", token);
                if (probe.IsSuccessStatusCode)
                {
                    acked[$"{Name(w)}/probe-{victim}-{w}"] = 0;
                }

                return probe.IsSuccessStatusCode;
            }, timeout.Token);
            var writesAfter = killedAt.Elapsed;
            output.WriteLine($"{victim} killed: all {Workspaces} workspaces read after {readsAfter.TotalSeconds:0.0} s, written after {writesAfter.TotalSeconds:0.0} s");
            Assert.True(readsBack, $"after killing {victim} some workspace never answered reads. {cluster.NodeErrors()}");
            Assert.True(writesBack, $"after killing {victim} some workspace never accepted writes. {cluster.NodeErrors()}");

            await Task.Delay(TimeSpan.FromSeconds(4), timeout.Token);
            var start = await cluster.App.ResourceCommands.ExecuteCommandAsync(victim, KnownResourceCommands.StartCommand, timeout.Token);
            Assert.True(start.Success, start.Message);
            await cluster.App.ResourceNotifications.WaitForResourceHealthyAsync(victim, timeout.Token);
            output.WriteLine($"{victim} restarted after {killedAt.Elapsed.TotalSeconds:0.0} s");
            Volatile.Write(ref phase, victim + " back");
        }

        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        await stopTraffic.CancelAsync();
        await Task.WhenAll(writers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        Volatile.Write(ref phase, "stopped");

        // The checker: on every node that holds a workspace, every acknowledged write is there, nothing that was never
        // attempted is there, and both copies are the same once they have caught up.
        var caughtUp = Stopwatch.StartNew();
        string? problem = null;
        do
        {
            problem = await CheckAsync(acked, attempted, timeout.Token);
            if (problem is null)
            {
                break;
            }

            await Task.Delay(500, timeout.Token);
        }
        while (caughtUp.Elapsed < TimeSpan.FromSeconds(60));

        output.WriteLine($"acknowledged {acked.Count} of {attempted.Count + Workspaces} writes; acks by phase {string.Join(", ", copiesSeen.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"[{c.Key}] {c.Value}"))}; "
            + $"statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; copies agreed after {caughtUp.Elapsed.TotalSeconds:0.0} s");
        Assert.True(problem is null, problem + Environment.NewLine + cluster.NodeErrors());

        // The gateway's health names each workspace's primary and, all nodes back and caught up, none under-replicated.
        JsonNode? replication = null;
        var settled = Stopwatch.StartNew();
        do
        {
            using var health = await gateway.GetAsync("/health", timeout.Token);
            replication = (await health.JsonAsync(timeout.Token))["replication"];
            if (replication is not null && (int)replication["under_replicated_workspaces"]! == 0
                && Enumerable.Range(0, Workspaces).All(w => replication["primaries"]![Name(w)] is not null))
            {
                break;
            }

            await Task.Delay(500, timeout.Token);
        }
        while (settled.Elapsed < TimeSpan.FromSeconds(30));

        Assert.NotNull(replication);
        Assert.Equal(2, (int)replication!["factor"]!);
        Assert.Equal(0, (int)replication["under_replicated_workspaces"]!);
        Assert.All(Enumerable.Range(0, Workspaces), w => Assert.Contains((string)replication["primaries"]![Name(w)]!, ClusterFixture.NodeNames));
        Assert.True(copiesSeen.Where(c => c.Key.EndsWith("copies=2", StringComparison.Ordinal)).Sum(c => c.Value) > 0, "no write was acknowledged with two copies");
    }

    private async Task<string?> CheckAsync(ConcurrentDictionary<string, byte> acked, ConcurrentDictionary<string, byte> attempted, CancellationToken cancellationToken)
    {
        for (var w = 0; w < Workspaces; w++)
        {
            var workspace = Name(w);
            var copies = new List<(string Node, HashSet<string> Ids)>();
            foreach (var node in ClusterFixture.NodeNames)
            {
                using var client = cluster.Node(node);
                var ids = await IdsAsync(client, workspace, cancellationToken);
                if (ids is null)
                {
                    return $"{workspace} on {node}: the copy is still catching up (503)";
                }

                if (ids.Count > 0)
                {
                    copies.Add((node, ids));
                }
            }

            if (copies.Count != 2)
            {
                return $"{workspace} has {copies.Count} copies ({string.Join(", ", copies.Select(c => c.Node))}), not 2";
            }

            foreach (var (node, ids) in copies)
            {
                var missing = acked.Keys.Where(k => k.StartsWith(workspace + "/", StringComparison.Ordinal)).Select(k => k[(workspace.Length + 1)..]).Where(id => !ids.Contains(id)).ToList();
                if (missing.Count > 0)
                {
                    return $"{workspace} on {node} lacks {missing.Count} acknowledged writes: {string.Join(", ", missing.Take(10))}";
                }

                var invented = ids.Where(id => id != "seed" && !id.StartsWith("probe-", StringComparison.Ordinal) && !attempted.ContainsKey($"{workspace}/{id}")).ToList();
                if (invented.Count > 0)
                {
                    return $"{workspace} on {node} has documents never written: {string.Join(", ", invented.Take(10))}";
                }
            }

            if (!copies[0].Ids.SetEquals(copies[1].Ids))
            {
                return $"{workspace}: {copies[0].Node} has {copies[0].Ids.Count} documents, {copies[1].Node} {copies[1].Ids.Count}";
            }
        }

        return null;
    }

    /// <summary>
    /// Waits (up to 90 s) until the gateway sees all nodes healthy, a primary for every workspace and none
    /// under-replicated; says what it saw. Does not fail: the checks after the kill tell whether anything was lost.
    /// </summary>
    private static async Task<string> AllCaughtUpAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seen = "(no answer)";
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                using var health = await gateway.GetAsync("/health", cancellationToken);
                var json = await health.JsonAsync(cancellationToken);
                var replication = json["replication"];
                seen = $"{json["healthy_nodes"]} healthy nodes, {replication?["under_replicated_workspaces"]} under-replicated workspaces, "
                    + $"{(replication?["primaries"] as JsonObject)?.Count} primaries, after {clock.Elapsed.TotalSeconds:0.0} s";
                if ((int?)json["healthy_nodes"] == ClusterFixture.NodeNames.Length && replication is not null
                    && (int)replication["under_replicated_workspaces"]! == 0
                    && Enumerable.Range(0, Workspaces).All(w => replication["primaries"]![Name(w)] is not null))
                {
                    return seen;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500, cancellationToken);
        }

        return "not caught up: " + seen;
    }

    private void Kill(string node)
    {
        var pid = cluster.ProcessId(node) ?? throw new InvalidOperationException($"{node} has no process id");
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        output.WriteLine($"killed {node} ({pid})");
    }

    /// <summary>
    /// Asks every workspace until each has answered; a probe gets 2 s (a request the gateway sent to the dead node just
    /// before it was marked down would otherwise hold the loop for the gateway's 30 s request timeout).
    /// </summary>
    private static async Task<bool> AllWorkspacesAsync(Func<CancellationToken, Func<int, Task<bool>>> answers, CancellationToken cancellationToken)
    {
        var pending = Enumerable.Range(0, Workspaces).ToHashSet();
        var clock = Stopwatch.StartNew();
        while (pending.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            foreach (var w in pending.ToList())
            {
                using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                probe.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    if (await answers(probe.Token)(w))
                    {
                        pending.Remove(w);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        return pending.Count == 0;
    }

    private static async Task<bool> ReadsAsync(HttpClient gateway, string workspace, CancellationToken cancellationToken)
    {
        using var read = await gateway.ListDocumentsAsync(workspace, cancellationToken);
        return read.StatusCode == HttpStatusCode.OK && (long)(await read.JsonAsync(cancellationToken))["total"]! > 0;
    }

    /// <summary>The document ids of a node's copy; null while the copy is catching up (503).</summary>
    private static async Task<HashSet<string>?> IdsAsync(HttpClient node, string workspace, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            request.Headers.Add(ContextLiteRequests.WorkspaceHeader, workspace);
            using var answer = await node.SendAsync(request, cancellationToken);
            if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return null;
            }

            answer.EnsureSuccessStatusCode();
            var page = await answer.JsonAsync(cancellationToken);
            foreach (var item in page["items"]!.AsArray())
            {
                ids.Add((string)item!["id"]!);
            }

            cursor = (string?)page["next_cursor"];
        }
        while (cursor is not null);

        return ids;
    }

    private static Task<HttpResponseMessage> WriteAsync(HttpClient client, string workspace, string id, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
        {
            Content = JsonContent.Create(new JsonObject { ["id"] = id, ["path"] = id + ".md", ["content"] = $"Document {id} of {workspace}: replicated text." }),
        };
        request.Headers.Add(ContextLiteRequests.WorkspaceHeader, workspace);
        return client.SendAsync(request, cancellationToken);
    }

    private static string Name(int w) => $"rep-{w:D2}";
}
