using ContextLite.Node.Api;
using ContextLite.Node.Indexing;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Replication;

/// <summary>
/// <c>POST /internal/v1/replication/pull</c> (cluster key): a replica asks its primaries for changes. The answer
/// carries, for every workspace this node is the primary of and the caller holds a copy of, the changes after the
/// caller's position (a snapshot from 0 when it follows another source); it is held up to <c>wait_ms</c> while
/// there is nothing to send (long poll), so a write reaches the replicas within a round trip.
/// </summary>
internal static class ReplicationApi
{
    public static WebApplication MapReplicationApi(this WebApplication app)
    {
        app.MapPost(InternalApi.Prefix + "/replication/pull", PullAsync).AddEndpointFilter<ClusterKeyFilter>().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<PullResponse>, ProblemHttpResult>> PullAsync(
        HttpContext context, NodeServices node, ReplicationCoordinator replication, CancellationToken cancellationToken)
    {
        PullRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(ReplicationJson.Default.PullRequest, cancellationToken);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Problems.BadRequest("The pull is not valid JSON: " + ex.Message, "Invalid pull");
        }

        if (!replication.Enabled)
        {
            return Problems.Conflict($"Node {replication.NodeId} does not replicate (replication:factor is 1 or Redis is not configured).");
        }

        if (request is null || !replication.Nodes.Contains(request.Node, StringComparer.Ordinal) || request.Node == replication.NodeId)
        {
            return Problems.BadRequest($"'node' must name another node of the cluster ({string.Join(", ", replication.Nodes)}).", "Invalid pull");
        }

        var positions = new Dictionary<string, PullPosition>(StringComparer.Ordinal);
        foreach (var position in request.Workspaces ?? [])
        {
            if (position?.Workspace is null || !WorkspaceId.TryCreate(position.Workspace, out _, out _) || position.Applied < 0)
            {
                return Problems.BadRequest($"Workspace position '{position?.Workspace}' is not valid.", "Invalid pull");
            }

            positions[position.Workspace] = position;
        }

        var wait = TimeSpan.FromMilliseconds(Math.Clamp(request.WaitMs, 0, replication.Options.PollWaitMs));
        var deadline = node.Time.GetUtcNow() + wait;
        var acknowledged = false;
        while (true)
        {
            var wake = replication.Changes.Next;
            var response = await CollectAsync(request.Node, positions, node, replication);
            if (!acknowledged)
            {
                // Positions following this primary at its current epoch are acknowledgements (after collecting, which read the records).
                replication.RecordPull(request.Node, positions.Values
                    .Where(p => p.Source is not null && replication.KnownPrimary(p.Workspace) is { } primary && primary.Node == replication.NodeId && primary.Source == p.Source)
                    .Select(p => (p.Workspace, p.Applied)));
                acknowledged = true;
            }

            var remaining = deadline - node.Time.GetUtcNow();
            if (response.Workspaces.Count > 0 || response.Gone.Count > 0 || response.Moved.Count > 0 || response.Drop.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return TypedResults.Ok(response);
            }

            try
            {
                await wake.WaitAsync(remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250), node.Time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private static async Task<PullResponse> CollectAsync(
        string caller, Dictionary<string, PullPosition> positions, NodeServices node, ReplicationCoordinator replication)
    {
        var local = node.Catalog.List().Select(w => w.Value).ToHashSet(StringComparer.Ordinal);
        var candidates = local.Union(positions.Keys).Order(StringComparer.Ordinal).ToList();
        var records = await replication.PrimariesOfAsync(candidates);
        var batches = new List<PullBatch>();
        var gone = new List<string>();
        var moved = new List<string>();
        var drop = new List<string>();
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        var budget = replication.Options.BatchBytes;
        for (var i = 0; i < candidates.Count; i++)
        {
            var workspace = candidates[i];
            var record = records[i];
            var asked = positions.GetValueOrDefault(workspace);
            if (!local.Contains(workspace))
            {
                if (asked?.Source is { } followed && followed.StartsWith(replication.NodeId + "/", StringComparison.Ordinal))
                {
                    // It followed this node, which no longer has the workspace (deleted) unless another node took over.
                    (record is { } other && other.Node != replication.NodeId ? moved : gone).Add(workspace);
                }

                continue;
            }

            if (record is null && replication.ReplicasOf(workspace)[0] == replication.NodeId)
            {
                // Written before replication was on: the preferred primary that holds it takes the first epoch.
                record = await replication.TryClaimAsync(workspace, 0);
            }

            if (record is not { } primary || primary.Node != replication.NodeId)
            {
                if (asked?.Source is { } source && source.StartsWith(replication.NodeId + "/", StringComparison.Ordinal))
                {
                    moved.Add(workspace);
                }

                continue;
            }

            if (!replication.ReplicasOf(workspace).Contains(caller, StringComparer.Ordinal))
            {
                // Rebalancing: the caller's copy is outside the placement; it may go once the placement has everything.
                if (asked is not null && node.Catalog.TryOpen(WorkspaceId.Parse(workspace)) is { } held
                    && replication.PlacementCaughtUp(workspace, held.ReplicationHead()))
                {
                    drop.Add(workspace);
                }

                continue;
            }

            if (budget <= 0)
            {
                continue;
            }

            var resync = asked?.Source != primary.Source;
            var since = resync ? 0 : asked!.Applied;
            if (node.Catalog.TryOpen(WorkspaceId.Parse(workspace)) is not { } store)
            {
                continue;
            }

            ChangeBatch page;
            try
            {
                page = store.ReadChanges(since, replication.Options.BatchItems, budget);
            }
            catch (WorkspaceDeletedException)
            {
                continue;
            }

            if (!resync && page.Changes.Count == 0 && page.Through <= since)
            {
                heads[workspace] = page.Head;
                continue;
            }

            var wire = page.Changes.Select(ToWire).ToList();
            budget -= wire.Sum(c => (c.Content?.Length ?? 0) * 2L + (c.Vectors?.Sum(v => (long)v.Length) ?? 0) + 64);
            batches.Add(new PullBatch(workspace, primary.Source, resync, page.Head, page.Through, wire));
        }

        return new PullResponse(replication.NodeId, batches, gone, moved) { Drop = drop, Heads = heads };
    }

    private static WireChange ToWire(DocumentChange change) => new(
        change.Seq, change.Id, change.Deleted, change.Path, change.Content, change.MetadataJson, change.Version,
        change.Vectors?.Select(v => Convert.ToBase64String(VectorBlob.ToBytes(v))).ToList(), change.EmbeddingModel);

    /// <summary>The wire form back to a change.</summary>
    public static DocumentChange FromWire(WireChange change) => new(
        change.Seq, change.Id, change.Deleted, change.Path, change.Content, change.Metadata, change.Version,
        change.Vectors?.Select(v => VectorBlob.FromBytes(Convert.FromBase64String(v))).ToList(), change.Model);
}
