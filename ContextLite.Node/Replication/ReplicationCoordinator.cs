using System.Collections.Concurrent;
using ContextLite.Cluster;
using ContextLite.Node.Cluster;
using ContextLite.Node.Quotas;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Replication;

/// <summary>
/// This node's view of replication: which nodes hold a workspace (the first R of its placement on the ring, health
/// ignored so a flap never moves data), who its primary is (Redis, <see cref="PrimaryDirectory"/>), how far each
/// replica has acknowledged (primary side), and how far this node follows each primary (replica side).
/// </summary>
/// <remarks>
/// <para>
/// <b>Writes</b> are accepted only by the recorded primary (<see cref="CheckWriteAsync"/>: 421 elsewhere, 409 for a
/// stale epoch in <c>X-ContextLite-Epoch</c>), which reads the record from Redis for every write, so a primary that was
/// replaced stops accepting writes as soon as the new record is written. A write is acknowledged after
/// <see cref="WaitForCopiesAsync"/>: <c>write_consistency</c> copies, fewer when fewer replicas are live (a replica is
/// live while it pulls), reported in the answer.
/// </para>
/// <para>
/// <b>Acknowledgements</b> ride on the replicas' pulls: a pull says how far the replica has applied, so the ack for a
/// change arrives with the pull after the one that carried it.
/// </para>
/// </remarks>
internal sealed class ReplicationCoordinator
{
    public const string EpochHeader = "X-ContextLite-Epoch";
    public const string PrimaryHeader = "X-ContextLite-Primary";

    private readonly ReplicationOptions _options;
    private readonly ClusterMembership _membership;
    private readonly TimeProvider _time;
    private readonly NodeSelector _selector;
    private readonly HashRing _ring;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, PrimaryRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Workspace, string Node), long> _acks = new();
    private readonly ConcurrentDictionary<string, long> _contact = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReplicaProgress> _following = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _handingOver = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _readAt = new(StringComparer.Ordinal);
    private readonly WorkspaceCatalog _catalog;

    public ReplicationCoordinator(
        IOptions<ReplicationOptions> options,
        IOptions<ClusterOptions> cluster,
        IOptions<MembershipOptions> membership,
        ClusterMembership clusterMembership,
        WorkspaceCatalog catalog,
        TimeProvider time)
    {
        _options = options.Value;
        _membership = clusterMembership;
        _time = time;
        _prefix = membership.Value.KeyPrefix;
        NodeId = cluster.Value.NodeId;
        Nodes = [.. _options.Peers.Keys.Append(NodeId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _ring = new HashRing(Nodes, _options.VirtualNodes);
        _selector = new NodeSelector(cluster.Value, Math.Min(_options.Factor, Nodes.Count));
        Enabled = _options.Factor > 1 && _options.Peers.Count > 0 && clusterMembership.RedisConfigured;
        _catalog = catalog;
        if (Enabled)
        {
            catalog.Changed += (_, _) => Changes.Pulse();
        }
    }

    /// <summary>True when workspaces are replicated (factor above 1, peers and Redis configured).</summary>
    public bool Enabled { get; }

    public string NodeId { get; }

    /// <summary>Every node of the cluster, this one included, in ordinal order.</summary>
    public IReadOnlyList<string> Nodes { get; }

    public ReplicationOptions Options => _options;

    /// <summary>Pulsed after every write on this node (pulls waiting on the primary wake up).</summary>
    public ChangeSignal Changes { get; } = new();

    /// <summary>Pulsed when a replica acknowledges (writes waiting for copies wake up).</summary>
    public ChangeSignal Acks { get; } = new();

    /// <summary>Failovers this node won since it started.</summary>
    public long Failovers => Interlocked.Read(ref _failovers);

    private long _failovers;

    /// <summary>The nodes that hold <paramref name="workspace"/>, in placement order (the first is its preferred primary).</summary>
    public IReadOnlyList<string> ReplicasOf(string workspace) =>
        [.. _selector.Placement(workspace, _ring).Take(_selector.ReplicationFactor)];

    public bool HoldsCopy(string workspace) => ReplicasOf(workspace).Contains(NodeId, StringComparer.Ordinal);

    /// <summary>The directory in Redis, or null while Redis is not connected.</summary>
    public PrimaryDirectory? Directory => _membership.Redis is { } redis ? new PrimaryDirectory(redis.GetDatabase(), _prefix) : null;

    /// <summary>The last record this node read for <paramref name="workspace"/>.</summary>
    public PrimaryRecord? KnownPrimary(string workspace) => _records.TryGetValue(workspace, out var record) ? record : null;

    /// <summary>Reads the primary of <paramref name="workspace"/> from Redis; the last one seen when Redis does not answer.</summary>
    public async Task<PrimaryRecord?> PrimaryOfAsync(string workspace) => (await ReadPrimaryAsync(workspace)).Record;

    /// <summary>
    /// The primary from Redis, or the last one read and how long ago it was read when Redis does not answer
    /// (<c>Age</c> is zero for a fresh read).
    /// </summary>
    private async Task<(PrimaryRecord? Record, TimeSpan Age)> ReadPrimaryAsync(string workspace)
    {
        if (Directory is { } directory)
        {
            try
            {
                var record = await directory.GetAsync(workspace);
                Remember(workspace, record);
                return (record, TimeSpan.Zero);
            }
            catch (Exception ex) when (RedisFailures.IsFailure(ex))
            {
            }
        }

        var age = _readAt.TryGetValue(workspace, out var at) ? _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(at) : TimeSpan.MaxValue;
        return (KnownPrimary(workspace), age);
    }

    /// <summary>The primaries of many workspaces in one round trip (the last seen ones when Redis does not answer).</summary>
    public async Task<PrimaryRecord?[]> PrimariesOfAsync(IReadOnlyList<string> workspaces)
    {
        if (Directory is { } directory)
        {
            try
            {
                var records = await directory.GetManyAsync(workspaces);
                for (var i = 0; i < workspaces.Count; i++)
                {
                    Remember(workspaces[i], records[i]);
                }

                return records;
            }
            catch (Exception ex) when (RedisFailures.IsFailure(ex))
            {
            }
        }

        return [.. workspaces.Select(KnownPrimary)];
    }

    /// <summary>
    /// Takes the primary role of <paramref name="workspace"/> with the epoch after <paramref name="seenEpoch"/>.
    /// Null when another node won or Redis does not answer.
    /// </summary>
    public async Task<PrimaryRecord?> TryClaimAsync(string workspace, long seenEpoch, bool isFailover = true)
    {
        if (Directory is not { } directory)
        {
            return null;
        }

        try
        {
            var after = await directory.ClaimAsync(workspace, NodeId, seenEpoch);
            Remember(workspace, after);
            if (after is { } won && won.Node == NodeId && won.Epoch == seenEpoch + 1)
            {
                if (seenEpoch > 0 && isFailover)
                {
                    Interlocked.Increment(ref _failovers);
                }

                return won;
            }
        }
        catch (Exception ex) when (RedisFailures.IsFailure(ex))
        {
        }

        return null;
    }

    /// <summary>
    /// The write guard: null when this node may write <paramref name="workspace"/> now (it is the recorded primary, or
    /// becomes it because there is none yet and it holds a copy), else the problem to answer with.
    /// </summary>
    public async Task<(ProblemHttpResult? Problem, PrimaryRecord? Primary)> CheckWriteAsync(WorkspaceId workspace, HttpContext context)
    {
        if (!Enabled)
        {
            return (null, null);
        }

        var (record, age) = await ReadPrimaryAsync(workspace.Value);
        if (age > TimeSpan.FromMilliseconds(_options.FailoverTimeoutMs / 2.0))
        {
            // Redis does not answer and what this node last read is older than half a failover: another node may have
            // taken over meanwhile, so writing here could fork the workspace. Reads go on; writes wait for Redis.
            context.Response.Headers.RetryAfter = "1";
            return (TypedResults.Problem(
                $"Redis, which records the primary of workspace '{workspace}', does not answer; writes are refused until it does (reads go on).",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Primary unknown"), null);
        }

        if (record is null && HoldsCopy(workspace.Value))
        {
            record = await TryClaimAsync(workspace.Value, 0) ?? await PrimaryOfAsync(workspace.Value);
        }

        if (_handingOver.TryGetValue(workspace.Value, out var successor))
        {
            context.Response.Headers.RetryAfter = "1";
            return (TypedResults.Problem(
                $"Workspace '{workspace}' is moving to {successor} (the cluster's nodes changed); writes resume there within a second.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Workspace moving"), null);
        }

        if (record is not { } primary)
        {
            context.Response.Headers.RetryAfter = "1";
            return (TypedResults.Problem(
                $"Workspace '{workspace}' has no primary yet and node {NodeId} does not hold it ({string.Join(", ", ReplicasOf(workspace.Value))} do), "
                + "or Redis, which records primaries, does not answer.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "No primary"), null);
        }

        if (primary.Node != NodeId)
        {
            context.Response.Headers[PrimaryHeader] = primary.Node;
            return (TypedResults.Problem(
                $"Node {NodeId} is not the primary of workspace '{workspace}'; {primary.Node} is (epoch {primary.Epoch}). Send writes to it (the gateway does).",
                statusCode: StatusCodes.Status421MisdirectedRequest, title: "Not the primary", type: "https://contextlite.dev/problems/not-primary",
                extensions: new Dictionary<string, object?> { ["primary"] = primary.Node, ["epoch"] = primary.Epoch }), primary);
        }

        if (context.Request.Headers.TryGetValue(EpochHeader, out var sent) && sent.Count == 1
            && (!long.TryParse(sent[0], out var epoch) || epoch != primary.Epoch))
        {
            return (TypedResults.Problem(
                $"The write carries epoch '{sent[0]}' but workspace '{workspace}' is at epoch {primary.Epoch} (primary {primary.Node}); it was refused.",
                statusCode: StatusCodes.Status409Conflict, title: "Stale epoch", type: "https://contextlite.dev/problems/stale-epoch",
                extensions: new Dictionary<string, object?> { ["primary"] = primary.Node, ["epoch"] = primary.Epoch }), primary);
        }

        return (null, primary);
    }

    /// <summary>
    /// The read guard: null when this node may answer reads of <paramref name="workspace"/> — it is the primary, or a
    /// replica caught up with the primary's head as of its last pull, or it does not know of another primary. A copy
    /// still taking a snapshot, or that has not heard from the current primary since it started, answers 503 with
    /// <c>Retry-After</c> and the primary's name rather than an incomplete answer.
    /// </summary>
    public ProblemHttpResult? CheckRead(WorkspaceId workspace, HttpContext context)
    {
        if (!Enabled || KnownPrimary(workspace.Value) is not { } primary || primary.Node == NodeId || !_catalog.Exists(workspace))
        {
            // Not replicated, the primary, or no copy here at all (an empty answer is the truth about this node).
            return null;
        }

        if (Following(workspace.Value) is { CaughtUp: true } progress && progress.Source == primary.Source)
        {
            return null;
        }

        context.Response.Headers.RetryAfter = "1";
        context.Response.Headers[PrimaryHeader] = primary.Node;
        return TypedResults.Problem(
            $"Node {NodeId}'s copy of workspace '{workspace}' is catching up with its primary {primary.Node}; ask again shortly or ask {primary.Node}.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Copy catching up",
            extensions: new Dictionary<string, object?> { ["primary"] = primary.Node });
    }

    /// <summary>Records that <paramref name="node"/> pulled (it is live) and, when it follows this primary, how far it applied.</summary>
    public void RecordPull(string node, IEnumerable<(string Workspace, long Applied)> acks)
    {
        _contact[node] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (workspace, applied) in acks)
        {
            _acks.AddOrUpdate((workspace, node), applied, (_, old) => Math.Max(old, applied));
        }

        Acks.Pulse();
    }

    /// <summary>
    /// True when <paramref name="node"/> still heartbeats into the cluster's membership in Redis: alive, however slowly
    /// it answers pulls. A replica does not take over from such a primary (a second opinion against false failovers).
    /// </summary>
    public bool HeartbeatsInRedis(string node) => _membership.View is { } view && view.Members.Contains(node, StringComparer.Ordinal);

    /// <summary>True when <paramref name="node"/> pulled from this node within the failover timeout.</summary>
    public bool IsLive(string node) =>
        _contact.TryGetValue(node, out var at) && _time.GetUtcNow().ToUnixTimeMilliseconds() - at <= _options.FailoverTimeoutMs;

    /// <summary>How far <paramref name="node"/> has acknowledged <paramref name="workspace"/> (0 when never).</summary>
    public long AckedBy(string workspace, string node) => _acks.TryGetValue((workspace, node), out var applied) ? applied : 0;

    /// <summary>
    /// Waits until <paramref name="seq"/> is on <c>write_consistency</c> copies (fewer when fewer replicas are live)
    /// or the ack timeout passes; reports the copies reached.
    /// </summary>
    public async Task<ReplicationReport?> WaitForCopiesAsync(string workspace, PrimaryRecord? primary, long seq, CancellationToken cancellationToken)
    {
        if (!Enabled || primary is null)
        {
            return null;
        }

        Changes.Pulse();
        _heads.AddOrUpdate(workspace, seq, (_, old) => Math.Max(old, seq));
        var others = ReplicasOf(workspace).Where(n => n != NodeId).ToArray();
        var required = Math.Min(_options.WriteConsistency, 1 + others.Count(IsLive));
        var deadline = _time.GetUtcNow().AddMilliseconds(_options.AckTimeoutMs);
        while (true)
        {
            var wake = Acks.Next;
            var copies = 1 + others.Count(n => AckedBy(workspace, n) >= seq);
            var remaining = deadline - _time.GetUtcNow();
            if (copies >= required || remaining <= TimeSpan.Zero)
            {
                return new ReplicationReport(copies, required, primary.Value.Epoch, seq, NodeId);
            }

            try
            {
                await wake.WaitAsync(remaining, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>
    /// Workspaces this node is the primary of (as last read) whose last write is not on every replica, or a replica of
    /// which has stopped pulling: fewer than R caught-up, live copies.
    /// </summary>
    public IReadOnlyList<string> UnderReplicated()
    {
        var under = new List<string>();
        foreach (var (workspace, record) in _records)
        {
            if (record.Node != NodeId)
            {
                continue;
            }

            var head = _heads.GetValueOrDefault(workspace);
            if (ReplicasOf(workspace).Any(n => n != NodeId && (!IsLive(n) || AckedBy(workspace, n) < head)))
            {
                under.Add(workspace);
            }
        }

        return under;
    }

    /// <summary>Workspaces this node holds outside their placement, being handed to the node named (writes wait meanwhile).</summary>
    public IReadOnlyDictionary<string, string> HandingOver => _handingOver;

    public void BeginHandOver(string workspace, string successor) => _handingOver[workspace] = successor;

    public void EndHandOver(string workspace) => _handingOver.TryRemove(workspace, out _);

    /// <summary>
    /// True when every node of <paramref name="workspace"/>'s placement other than this one pulls from this node and has
    /// applied <paramref name="head"/>: the copies outside the placement can go.
    /// </summary>
    public bool PlacementCaughtUp(string workspace, long head) =>
        ReplicasOf(workspace).Where(n => n != NodeId).All(n => IsLive(n) && AckedBy(workspace, n) >= head);

    /// <summary>Makes <paramref name="successor"/> the primary with the next epoch (a hand-over, not a failover).</summary>
    public async Task<bool> HandOverAsync(string workspace, string successor, long seenEpoch)
    {
        if (Directory is not { } directory)
        {
            return false;
        }

        try
        {
            var after = await directory.ClaimAsync(workspace, successor, seenEpoch);
            Remember(workspace, after);
            return after is { } won && won.Node == successor && won.Epoch == seenEpoch + 1;
        }
        catch (Exception ex) when (RedisFailures.IsFailure(ex))
        {
            return false;
        }
    }

    /// <summary>Workspaces this node is the recorded primary of (as last read).</summary>
    public IEnumerable<(string Workspace, PrimaryRecord Record)> PrimaryOf() =>
        _records.Where(r => r.Value.Node == NodeId).Select(r => (r.Key, r.Value));

    /// <summary>Replica side: what this node knows of a workspace it follows.</summary>
    public ReplicaProgress? Following(string workspace) => _following.TryGetValue(workspace, out var progress) ? progress : null;

    public IReadOnlyDictionary<string, ReplicaProgress> AllFollowing => _following;

    public void SetFollowing(string workspace, ReplicaProgress progress) => _following[workspace] = progress;

    public void StopFollowing(string workspace) => _following.TryRemove(workspace, out _);

    /// <summary>Forgets a deleted workspace everywhere.</summary>
    public void Forget(string workspace)
    {
        _records.TryRemove(workspace, out _);
        _readAt.TryRemove(workspace, out _);
        _following.TryRemove(workspace, out _);
        _heads.TryRemove(workspace, out _);
        foreach (var key in _acks.Keys.Where(k => k.Workspace == workspace))
        {
            _acks.TryRemove(key, out _);
        }
    }

    private void Remember(string workspace, PrimaryRecord? record)
    {
        _readAt[workspace] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (record is { } known)
        {
            _records[workspace] = known;
        }
        else
        {
            _records.TryRemove(workspace, out _);
        }
    }
}

/// <summary>How a write was replicated: <c>copies</c> of <c>required</c>, at the primary's epoch and sequence number.</summary>
internal sealed record ReplicationReport(int Copies, int Required, long Epoch, long Seq, string Primary);

/// <summary>A replica's position for one workspace: the source followed, applied and head seen, snapshot in progress.</summary>
internal sealed record ReplicaProgress(string Source, long Applied, long Head, bool Resyncing, long LastContactUnixMs)
{
    public bool CaughtUp => !Resyncing && Applied >= Head;

    public string PrimaryNode => Source[..Source.LastIndexOf('/')];
}
