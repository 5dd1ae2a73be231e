namespace ContextLite.Indexer.Rebuilds;

/// <summary>What <c>/health</c> shows: lease, the rebuild in progress and the last one. Updated by the worker only.</summary>
internal sealed class IndexerStatus
{
    private readonly Lock _lock = new();
    private RebuildProgress? _current;
    private RebuildRecord? _last;

    public string? LeaseHolder { get; set; }

    public bool HoldsLease { get; set; }

    public bool RedisConnected { get; set; }

    public long Rebuilds { get; private set; }

    public long Failures { get; private set; }

    public string? LastError { get; private set; }

    public int StaleWorkspaces { get; set; }

    public DateTimeOffset? LastScan { get; set; }

    public RebuildProgress? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public RebuildRecord? Last
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    public void Begin(RebuildProgress progress)
    {
        lock (_lock)
        {
            _current = progress;
        }
    }

    public void Advance(string phase, long vectors)
    {
        lock (_lock)
        {
            _current = _current is null ? null : _current with { Phase = phase, Vectors = vectors };
        }
    }

    public void Succeeded(RebuildRecord record)
    {
        lock (_lock)
        {
            _current = null;
            _last = record;
            Rebuilds++;
        }
    }

    public void Failed(string error)
    {
        lock (_lock)
        {
            _current = null;
            Failures++;
            LastError = error;
        }
    }
}

/// <summary>The rebuild in progress: workspace, owner, phase (pulling, clustering, pushing), vectors, start.</summary>
internal sealed record RebuildProgress(string Workspace, string Node, string Phase, long Vectors, DateTimeOffset StartedAt);

/// <summary>A finished rebuild: K, N, iterations, inertia, k-means seconds, total seconds and the node's new cluster version.</summary>
internal sealed record RebuildRecord(
    string Workspace, string Node, int K, int N, int Iterations, double Inertia, double Seconds, double TotalSeconds,
    long ClustersVersion, int AssignedAfterSnapshot, DateTimeOffset FinishedAt);
