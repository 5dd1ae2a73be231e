using System.Collections.Concurrent;
using ContextLite.Cluster;
using ContextLite.Clustering;
using ContextLite.Node.Cluster;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ContextLite.Node.Indexing;

/// <summary>
/// Tells the indexer, through Redis (<see cref="IndexQueue"/>), which workspaces of this node changed and by how
/// many vectors. Active in indexer mode only (<c>clustering:build_on_node = false</c> and Redis configured).
/// </summary>
/// <remarks>
/// Writes only count in memory (the store raises its change event under its write lock, where no network call
/// belongs); a loop flushes the counts every <see cref="InternalOptions.DirtyFlushMs"/> with one script per
/// workspace. When Redis does not answer, the counts are kept and retried, so nothing is lost while it is
/// away, and the node keeps serving (queries use whatever clusters it has, or an exact scan).
/// At start every workspace is reported once, so one that was written before a restart is not forgotten.
/// </remarks>
internal sealed partial class IndexDirtyTracker : BackgroundService
{
    /// <summary>KEYS[1] dirty hash, KEYS[2] workspace hash; ARGV[1] workspace, ARGV[2] delta, ARGV[3] record.</summary>
    private const string ReportScript = """
        redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return 1
        """;

    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deleted = new(StringComparer.Ordinal);
    private readonly WorkspaceCatalog _catalog;
    private readonly ClusterMembership _membership;
    private readonly InternalOptions _options;
    private readonly string _nodeId;
    private readonly string _prefix;
    private readonly TimeProvider _time;
    private readonly ILogger<IndexDirtyTracker> _logger;
    private readonly Replication.ReplicationCoordinator _replication;

    public IndexDirtyTracker(
        WorkspaceCatalog catalog,
        ClusterMembership membership,
        IOptions<InternalOptions> options,
        IOptions<ClusteringOptions> clustering,
        IOptions<MembershipOptions> membershipOptions,
        IOptions<ClusterOptions> cluster,
        TimeProvider time,
        ILogger<IndexDirtyTracker> logger,
        Replication.ReplicationCoordinator replication)
    {
        _replication = replication;
        _catalog = catalog;
        _membership = membership;
        _options = options.Value;
        _nodeId = cluster.Value.NodeId;
        _prefix = membershipOptions.Value.KeyPrefix;
        _time = time;
        _logger = logger;
        Enabled = !clustering.Value.BuildOnNode && membership.RedisConfigured;
        if (Enabled)
        {
            catalog.Changed += (store, change) =>
            {
                var delta = change.Embedded.Count + change.RemovedChunks.Count;
                if (delta > 0)
                {
                    Report(store.Id, delta);
                }
            };
        }
    }

    /// <summary>True in indexer mode with Redis configured.</summary>
    public bool Enabled { get; }

    /// <summary>Workspaces with counts not yet in Redis.</summary>
    public int Pending => _pending.Count;

    /// <summary>Adds <paramref name="delta"/> changed vectors to the workspace (0 just refreshes its record).</summary>
    public void Report(WorkspaceId workspace, long delta)
    {
        if (Enabled)
        {
            _deleted.TryRemove(workspace.Value, out _);
            _pending.AddOrUpdate(workspace.Value, delta, (_, current) => current + delta);
        }
    }

    /// <summary>Drops a deleted workspace from the queue.</summary>
    public void Forget(WorkspaceId workspace)
    {
        if (Enabled)
        {
            _pending.TryRemove(workspace.Value, out _);
            _deleted[workspace.Value] = 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var id in _catalog.List())
        {
            Report(id, 0);
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.DirtyFlushMs), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends every pending count and deletion to Redis; failed ones stay pending.</summary>
    internal async Task FlushAsync()
    {
        if (_membership.Redis is not { IsConnected: true } redis)
        {
            return;
        }

        var database = redis.GetDatabase();
        RedisKey dirty = IndexQueue.DirtyKey(_prefix);
        RedisKey workspaces = IndexQueue.WorkspacesKey(_prefix);
        try
        {
            foreach (var name in _deleted.Keys)
            {
                await database.HashDeleteAsync(dirty, name);
                await database.HashDeleteAsync(workspaces, name);
                _deleted.TryRemove(name, out _);
            }

            foreach (var name in _pending.Keys)
            {
                if (!_pending.TryRemove(name, out var delta))
                {
                    continue;
                }

                try
                {
                    if (_catalog.TryOpen(WorkspaceId.Parse(name)) is not { } store)
                    {
                        continue;
                    }

                    if (_replication.Enabled && _replication.KnownPrimary(name) is { } primary && primary.Node != _nodeId)
                    {
                        // A replica's copy: the indexer builds for the primary's copy only (the workspace record names one node).
                        continue;
                    }

                    var (_, embedded) = store.EmbeddingProgress();
                    var record = IndexQueue.Format(new IndexedWorkspace(_nodeId, embedded, store.ClusterCount()));
                    await database.ScriptEvaluateAsync(ReportScript, [dirty, workspaces], [name, delta, record]);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    Report(WorkspaceId.Parse(name), delta);
                    throw;
                }
                catch (WorkspaceDeletedException)
                {
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogFlushFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Reporting changed workspaces to the indexer failed (kept for the next try): {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, string reason);
}
