using ContextLite.Cluster;
using StackExchange.Redis;

namespace ContextLite.Node.Replication;

/// <summary>
/// Who is each workspace's primary, in Redis: <c>{prefix}primary:{workspace}</c> = <c>node|epoch</c>. Changed only by
/// compare-and-set on the epoch (<see cref="ClaimAsync"/>), so two replicas that both decide to take over cannot both
/// win, and a deposed primary learns it lost by reading the record (its writes are fenced by the epoch).
/// </summary>
internal sealed class PrimaryDirectory(IDatabase database, string prefix)
{
    /// <summary>KEYS[1] record; ARGV[1] node; ARGV[2] the epoch the caller saw (0 = no record). Returns the record after.</summary>
    private const string ClaimScript = """
        local current = redis.call('GET', KEYS[1])
        local epoch = 0
        if current then epoch = tonumber(string.match(current, '|(%d+)$')) or 0 end
        if epoch ~= tonumber(ARGV[2]) then return current end
        local claimed = ARGV[1] .. '|' .. tostring(epoch + 1)
        redis.call('SET', KEYS[1], claimed)
        return claimed
        """;

    public RedisKey KeyOf(string workspace) => PrimaryRecord.KeyOf(prefix, workspace);

    public async Task<PrimaryRecord?> GetAsync(string workspace) => PrimaryRecord.Parse((string?)await database.StringGetAsync(KeyOf(workspace)));

    public async Task<PrimaryRecord?[]> GetManyAsync(IReadOnlyList<string> workspaces)
    {
        if (workspaces.Count == 0)
        {
            return [];
        }

        var values = await database.StringGetAsync(workspaces.Select(KeyOf).ToArray());
        return values.Select(v => PrimaryRecord.Parse((string?)v)).ToArray();
    }

    /// <summary>Makes <paramref name="node"/> the primary with the next epoch if the record still has <paramref name="seenEpoch"/>.</summary>
    /// <returns>The record after the attempt: the caller won when it names the caller with <paramref name="seenEpoch"/> + 1.</returns>
    public async Task<PrimaryRecord?> ClaimAsync(string workspace, string node, long seenEpoch) =>
        PrimaryRecord.Parse((string?)await database.ScriptEvaluateAsync(ClaimScript, [KeyOf(workspace)], [node, seenEpoch]));
}
