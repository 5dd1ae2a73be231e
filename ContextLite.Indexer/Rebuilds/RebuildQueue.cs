using System.Globalization;
using ContextLite.Cluster;
using ContextLite.Indexer.Configuration;
using StackExchange.Redis;

namespace ContextLite.Indexer.Rebuilds;

/// <summary>
/// Reads what the nodes reported (<see cref="IndexQueue"/>) and decides which workspaces need a rebuild: those
/// with at least <see cref="IndexerOptions.MinChunks"/> vectors and either no clusters yet or more than
/// <see cref="IndexerOptions.RebuildFraction"/> of their vectors changed since the last build; most changed first.
/// </summary>
internal sealed class RebuildQueue(IConnectionMultiplexer redis, IndexerOptions options)
{
    /// <summary>KEYS[1] dirty, KEYS[2] workspaces; ARGV[1] workspace, ARGV[2] changes built from, ARGV[3] record.</summary>
    private const string CompleteScript = """
        local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
        if left <= 0 then
          redis.call('HDEL', KEYS[1], ARGV[1])
        end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return left
        """;

    private readonly RedisKey _dirty = IndexQueue.DirtyKey(options.KeyPrefix);
    private readonly RedisKey _workspaces = IndexQueue.WorkspacesKey(options.KeyPrefix);

    /// <summary>The stale workspaces, most changed (relative to their size) first.</summary>
    public async Task<IReadOnlyList<StaleWorkspace>> ScanAsync()
    {
        var database = redis.GetDatabase();
        var records = await database.HashGetAllAsync(_workspaces);
        var dirty = (await database.HashGetAllAsync(_dirty)).ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal);
        var stale = new List<StaleWorkspace>();
        foreach (var entry in records)
        {
            if (!IndexQueue.TryParse(entry.Value, out var record) || record.Vectors < options.MinChunks)
            {
                continue;
            }

            var name = (string)entry.Name!;
            var changed = dirty.GetValueOrDefault(name);
            if (record.Clusters == 0 || changed > options.RebuildFraction * record.Vectors)
            {
                stale.Add(new StaleWorkspace(name, record, changed));
            }
        }

        return [.. stale
            .OrderByDescending(s => s.Record.Clusters == 0)
            .ThenByDescending(s => (double)s.Changed / Math.Max(1, s.Record.Vectors))
            .ThenBy(s => s.Workspace, StringComparer.Ordinal)];
    }

    /// <summary>
    /// After a swap: subtracts the changes the build started from (later ones stay counted) and records the
    /// node's new K, so the next scan does not see the workspace as unclustered before the node reports again.
    /// </summary>
    public Task CompleteAsync(StaleWorkspace workspace, long vectors, int k) =>
        redis.GetDatabase().ScriptEvaluateAsync(
            CompleteScript,
            [_dirty, _workspaces],
            [workspace.Workspace, workspace.Changed.ToString(CultureInfo.InvariantCulture), IndexQueue.Format(new IndexedWorkspace(workspace.Record.Node, vectors, k))]);

    /// <summary>Drops a workspace its node no longer has.</summary>
    public async Task ForgetAsync(string workspace)
    {
        var database = redis.GetDatabase();
        await database.HashDeleteAsync(_dirty, workspace);
        await database.HashDeleteAsync(_workspaces, workspace);
    }
}

/// <summary>A workspace due for a rebuild: its record and the changed-vector count the build starts from.</summary>
internal sealed record StaleWorkspace(string Workspace, IndexedWorkspace Record, long Changed);
