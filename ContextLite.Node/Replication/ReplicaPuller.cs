using ContextLite.Cluster;
using ContextLite.Node.Indexing;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Replication;

/// <summary>
/// The replica side: one loop per peer pulls the changes of every workspace that peer is the primary of and this node
/// holds a copy of, applies them (each page in one transaction with the new position), and asks again at once; the
/// next pull is the acknowledgement. When a peer has not answered for <c>failover_timeout_ms</c> and has left the
/// cluster's membership in Redis (three missed heartbeats), this node takes over the workspaces it follows from it whose
/// copies are caught up (compare-and-set of the epoch in Redis).
/// </summary>
internal sealed class ReplicaPuller(
    ReplicationCoordinator replication,
    WorkspaceCatalog catalog,
    Api.NodeServices node,
    IndexDirtyTracker tracker,
    IHttpClientFactory clients,
    IOptions<InternalOptions> internalOptions,
    TimeProvider time,
    ILogger<ReplicaPuller> logger) : BackgroundService
{
    public const string ClientName = "replication";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!replication.Enabled)
        {
            return Task.CompletedTask;
        }

        LoadPositions();
        return Task.WhenAll(replication.Options.Peers
            .Select(peer => FollowAsync(peer.Key, new Uri(peer.Value), stoppingToken))
            .Append(RebalanceAsync(stoppingToken)));
    }

    /// <summary>
    /// Every second: a workspace this node is the primary of but no longer in the placement of (the cluster's nodes
    /// changed) is handed to the first node of its placement once every placement node has pulled all of it; writes
    /// wait (503, Retry-After 1) from the last check to the hand-over, and then the local copy goes.
    /// </summary>
    private async Task RebalanceAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (workspace, primary) in replication.PrimaryOf().ToList())
                {
                    if (replication.HoldsCopy(workspace) || catalog.TryOpen(WorkspaceId.Parse(workspace)) is not { } store)
                    {
                        continue;
                    }

                    try
                    {
                        await HandOverAsync(workspace, primary, store, stoppingToken);
                    }
                    catch (Exception ex) when (ex is WorkspaceDeletedException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
                    {
                        ReplicationLog.ApplyFailed(logger, replication.NodeId, ex.Message);
                    }
                    finally
                    {
                        replication.EndHandOver(workspace);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task HandOverAsync(string workspace, PrimaryRecord primary, WorkspaceStore store, CancellationToken stoppingToken)
    {
        var successor = replication.ReplicasOf(workspace)[0];
        if (!replication.PlacementCaughtUp(workspace, store.ReplicationHead()))
        {
            return;
        }

        // Stop writes, then let the placement take the last of them before the record moves.
        replication.BeginHandOver(workspace, successor);
        var deadline = time.GetUtcNow().AddMilliseconds(replication.Options.AckTimeoutMs);
        while (!replication.PlacementCaughtUp(workspace, store.ReplicationHead()))
        {
            if (time.GetUtcNow() > deadline)
            {
                return;
            }

            replication.Changes.Pulse();
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, stoppingToken);
        }

        if (await replication.HandOverAsync(workspace, successor, primary.Epoch))
        {
            ReplicationLog.HandedOver(logger, workspace, successor, primary.Epoch + 1);
            await DropCopyAsync(workspace, stoppingToken);
        }
    }

    private async Task DropCopyAsync(string workspace, CancellationToken stoppingToken)
    {
        await Api.WorkspacesApi.DropAsync(node, tracker, WorkspaceId.Parse(workspace), stoppingToken);
        replication.Forget(workspace);
    }

    /// <summary>Reads where each local copy stands, so pulls after a restart continue where they stopped.</summary>
    private void LoadPositions()
    {
        foreach (var workspace in catalog.List())
        {
            try
            {
                if (catalog.TryOpen(workspace) is { } store && store.ReadReplicaPosition() is { Source: { } source } position)
                {
                    // The head is unknown until the primary answers: not caught up until then.
                    replication.SetFollowing(workspace.Value, new ReplicaProgress(source, position.Applied, long.MaxValue, position.ResyncFloor is not null, 0));
                }
            }
            catch (WorkspaceDeletedException)
            {
            }
        }
    }

    private async Task FollowAsync(string peer, Uri baseAddress, CancellationToken stoppingToken)
    {
        var lastAnswer = time.GetUtcNow();
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PullOnceAsync(peer, baseAddress, stoppingToken);
                lastAnswer = time.GetUtcNow();
                if (failing)
                {
                    ReplicationLog.PeerBack(logger, peer);
                    failing = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TimeoutException or System.Text.Json.JsonException)
            {
                if (!failing)
                {
                    ReplicationLog.PeerFailing(logger, peer, ex.Message);
                    failing = true;
                }

                if ((time.GetUtcNow() - lastAnswer).TotalMilliseconds >= replication.Options.FailoverTimeoutMs)
                {
                    await TakeOverFromAsync(peer);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or WorkspaceDeletedException)
            {
                ReplicationLog.ApplyFailed(logger, peer, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task PullOnceAsync(string peer, Uri baseAddress, CancellationToken stoppingToken)
    {
        var positions = replication.AllFollowing
            .Where(f => f.Value.PrimaryNode == peer)
            .Select(f => new PullPosition(f.Key, f.Value.Source, f.Value.Applied))
            .ToList();
        foreach (var workspace in await HeldOutsidePlacementAsync(peer))
        {
            // A copy left outside the placement (this node was its primary and another took over meanwhile): told to
            // its primary, which says when the placement has everything and the copy can go.
            positions.Add(new PullPosition(workspace, null, 0));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, InternalApi.Prefix + "/replication/pull"))
        {
            Content = JsonContent.Create(new PullRequest(replication.NodeId, replication.Options.PollWaitMs, positions), ReplicationJson.Default.PullRequest),
        };
        request.Headers.TryAddWithoutValidation(InternalOptions.KeyHeader, internalOptions.Value.ClusterKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        // Half a failover timeout past the long poll: a slow primary gets two tries before a replica takes over.
        timeout.CancelAfter(TimeSpan.FromMilliseconds(replication.Options.PollWaitMs + Math.Max(1000, replication.Options.FailoverTimeoutMs / 2)));
        using var answer = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
        if (!answer.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{peer} answered the pull with {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(timeout.Token)}");
        }

        var response = await answer.Content.ReadFromJsonAsync(ReplicationJson.Default.PullResponse, timeout.Token)
            ?? throw new System.Text.Json.JsonException($"{peer} answered the pull with an empty body.");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var batch in response.Workspaces)
        {
            await ApplyAsync(batch, now, stoppingToken);
        }

        foreach (var (workspace, head) in response.Heads)
        {
            // Nothing new: the copy has everything up to the primary's head (after a restart the head was unknown).
            if (replication.Following(workspace) is { } progress && progress.PrimaryNode == peer)
            {
                replication.SetFollowing(workspace, progress with { Head = head, LastContactUnixMs = now });
            }
        }

        foreach (var workspace in response.Gone.Concat(response.Drop))
        {
            // The primary deleted it, or this node is no longer one of its placement and the placement has it all.
            await DropCopyAsync(workspace, stoppingToken);
            ReplicationLog.CopyDropped(logger, workspace, peer);
        }

        foreach (var workspace in response.Moved)
        {
            replication.StopFollowing(workspace);
            if (await replication.PrimaryOfAsync(workspace) is { } record && record.Node == replication.NodeId
                && catalog.TryOpen(WorkspaceId.Parse(workspace)) is { } store)
            {
                // Handed to this node: its own log is the workspace's log from now on.
                await store.ClearReplicaPositionAsync(stoppingToken);
            }
        }
    }

    private async Task ApplyAsync(PullBatch batch, long now, CancellationToken stoppingToken)
    {
        if (!replication.HoldsCopy(batch.Workspace))
        {
            // A primary whose view of the cluster differs (during a change of the nodes) sends a workspace this node does
            // not hold by its own: taking it would leave a copy nobody drops.
            return;
        }

        var store = catalog.OpenOrCreate(WorkspaceId.Parse(batch.Workspace));
        var current = replication.Following(batch.Workspace);
        if (batch.Resync && current?.Source != batch.Source)
        {
            await store.BeginResyncAsync(batch.Source, stoppingToken);
            ReplicationLog.Resync(logger, batch.Workspace, batch.Source);
        }

        var changes = batch.Changes.Select(ReplicationApi.FromWire).ToList();
        await store.ApplyChangesAsync(batch.Source, changes, batch.Through, batch.Through >= batch.Head, stoppingToken);
        var resyncing = store.ReadReplicaPosition().ResyncFloor is not null;
        replication.SetFollowing(batch.Workspace, new ReplicaProgress(batch.Source, batch.Through, batch.Head, resyncing, now));
    }

    private OutsideSnapshot? _outside;

    /// <summary>
    /// Workspaces held here, outside their placement, followed from nobody, whose primary is <paramref name="peer"/>;
    /// the local list is read again at most every 2 s.
    /// </summary>
    private async Task<IReadOnlyList<string>> HeldOutsidePlacementAsync(string peer)
    {
        var now = time.GetTimestamp();
        var outside = Volatile.Read(ref _outside);
        if (outside is null || time.GetElapsedTime(outside.At, now) > TimeSpan.FromSeconds(2))
        {
            outside = new OutsideSnapshot(now, [.. catalog.List().Select(w => w.Value).Where(w => !replication.HoldsCopy(w) && replication.Following(w) is null)]);
            Volatile.Write(ref _outside, outside);
        }

        if (outside.Workspaces.Count == 0)
        {
            return [];
        }

        var records = await replication.PrimariesOfAsync(outside.Workspaces);
        return [.. outside.Workspaces.Where((w, i) => records[i] is { } record && record.Node == peer)];
    }

    /// <summary>Claims, with the next epoch, every workspace that <paramref name="peer"/> is the primary of and this node follows caught up.</summary>
    private async Task TakeOverFromAsync(string peer)
    {
        if (replication.HeartbeatsInRedis(peer))
        {
            // Slow, not dead: its membership entry (renewed every heartbeat, gone three heartbeats after it stops) is fresh.
            return;
        }

        foreach (var (workspace, progress) in replication.AllFollowing.Where(f => f.Value.PrimaryNode == peer).ToList())
        {
            var record = await replication.PrimaryOfAsync(workspace);
            if (record is not { } primary || primary.Node != peer)
            {
                continue;
            }

            // Only the first copy in placement order after the lost primary takes over, so replicas do not race (R > 2).
            var successor = replication.ReplicasOf(workspace).FirstOrDefault(n => n != peer && (n == replication.NodeId || replication.IsLive(n)));
            if (successor != replication.NodeId || !progress.CaughtUp || primary.Source != progress.Source)
            {
                continue;
            }

            if (await replication.TryClaimAsync(workspace, primary.Epoch) is { } won && catalog.TryOpen(WorkspaceId.Parse(workspace)) is { } store)
            {
                await store.ClearReplicaPositionAsync();
                replication.StopFollowing(workspace);
                ReplicationLog.TookOver(logger, workspace, peer, won.Epoch);
            }
        }
    }
}

/// <summary>The workspaces held outside their placement, as read at <c>At</c> (a timestamp).</summary>
internal sealed record OutsideSnapshot(long At, List<string> Workspaces);
