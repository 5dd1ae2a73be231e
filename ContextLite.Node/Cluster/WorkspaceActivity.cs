using System.Collections.Concurrent;

namespace ContextLite.Node.Cluster;

/// <summary>
/// Per-workspace request counters for <c>/health</c>: requests in flight, requests served and their mean
/// duration, since the node started. Lock-free; at most <see cref="MaxWorkspaces"/> distinct workspaces are
/// tracked (later ones are not counted), so a client inventing workspace ids cannot grow it without bound.
/// </summary>
internal sealed class WorkspaceActivity
{
    public const int MaxWorkspaces = 10_000;

    private readonly ConcurrentDictionary<string, Counters> _workspaces = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private long _active;

    public WorkspaceActivity()
        : this(MaxWorkspaces)
    {
    }

    internal WorkspaceActivity(int capacity) => _capacity = capacity;

    /// <summary>API requests in flight on this node, across workspaces.</summary>
    public long ActiveRequests => Interlocked.Read(ref _active);

    public int TrackedWorkspaces => _workspaces.Count;

    /// <summary>Counts a request as started; null when the workspace is beyond the cap. Pass the result to <see cref="End"/>.</summary>
    public Counters? Begin(string workspace)
    {
        if (!_workspaces.TryGetValue(workspace, out var counters))
        {
            if (_workspaces.Count >= _capacity)
            {
                return null;
            }

            counters = _workspaces.GetOrAdd(workspace, _ => new Counters());
        }

        Interlocked.Increment(ref counters.Active);
        Interlocked.Increment(ref _active);
        return counters;
    }

    public void End(Counters counters, TimeSpan elapsed)
    {
        Interlocked.Add(ref counters.ElapsedTicks, elapsed.Ticks);
        Interlocked.Increment(ref counters.Completed);
        Interlocked.Decrement(ref counters.Active);
        Interlocked.Decrement(ref _active);
    }

    /// <summary>The workspace's counters, or null when it has not been seen since the node started.</summary>
    public WorkspaceActivitySnapshot? Get(string workspace)
    {
        if (!_workspaces.TryGetValue(workspace, out var counters))
        {
            return null;
        }

        var completed = Interlocked.Read(ref counters.Completed);
        var ticks = Interlocked.Read(ref counters.ElapsedTicks);
        return new WorkspaceActivitySnapshot(
            (int)Interlocked.Read(ref counters.Active),
            completed,
            completed == 0 ? 0 : TimeSpan.FromTicks(ticks / completed).TotalMilliseconds);
    }

    /// <summary>Drops a deleted workspace's counters.</summary>
    public void Forget(string workspace) => _workspaces.TryRemove(workspace, out _);

    internal sealed class Counters
    {
        public long Active;
        public long Completed;
        public long ElapsedTicks;
    }
}

/// <summary>One workspace's activity: requests in flight, requests served, their mean duration in ms.</summary>
internal readonly record struct WorkspaceActivitySnapshot(int ActiveRequests, long QueryCount, double AvgResponseMs);
