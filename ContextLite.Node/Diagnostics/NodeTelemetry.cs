using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContextLite.ServiceDefaults.Diagnostics;

namespace ContextLite.Node.Diagnostics;

/// <summary>
/// The node's one <see cref="Meter"/> and <see cref="ActivitySource"/>. Every instrument is named
/// <c>contextlite.*</c> and tagged with the workspace, capped by <see cref="WorkspaceTags"/>; the reference
/// table is in <c>docs/observability.md</c>.
/// </summary>
internal sealed partial class NodeTelemetry : IDisposable
{
    public const string MeterName = "ContextLite.Node";

    public const string Workspace = "workspace";

    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly Meter _meter;
    private readonly WorkspaceTags _workspaces;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly UpDownCounter<long> _activeRequests;
    private readonly Counter<long> _queries;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _quotaRefusals;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _solverRuns;
    private readonly Histogram<double> _solverDuration;
    private readonly Counter<long> _routes;
    private readonly Counter<long> _documentsWritten;
    private readonly Counter<long> _documentsRejected;

    public NodeTelemetry(IMeterFactory meters, WorkspaceTags workspaces, WorkspaceGauges gauges, Replication.ReplicationCoordinator replication)
    {
        _workspaces = workspaces;
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("contextlite.requests", "{request}", "HTTP requests served, by route template and status code.");
        _requestDuration = _meter.CreateHistogram<double>("contextlite.request.duration", "s", "Time to serve an HTTP request, by route template and status code.");
        _activeRequests = _meter.CreateUpDownCounter<long>("contextlite.requests.active", "{request}", "HTTP requests being served now.");
        _queries = _meter.CreateCounter<long>("contextlite.queries", "{query}", "Assemble and search queries answered (kind: assemble or search).");
        _tokens = _meter.CreateCounter<long>("contextlite.tokens.assembled", "{token}", "Tokens returned by assemble (total_tokens), cached answers included.");
        _quotaRefusals = _meter.CreateCounter<long>("contextlite.quota.refusals", "{request}", "Requests refused by a quota, by limit.");
        _cacheHits = _meter.CreateCounter<long>("contextlite.cache.hits", "{request}", "Assemble answers served from the cache.");
        _cacheMisses = _meter.CreateCounter<long>("contextlite.cache.misses", "{request}", "Assemble answers computed because the cache had none.");
        _solverRuns = _meter.CreateCounter<long>("contextlite.solver.runs", "{run}", "Context selections solved, by solver and outcome (optimal = proven, feasible = not proven).");
        _solverDuration = _meter.CreateHistogram<double>("contextlite.solver.duration", "s", "Time spent by the selection solver, by solver and outcome.");
        _routes = _meter.CreateCounter<long>("contextlite.routes", "{query}", "Retrieval routes taken (route: smt, smt+residual, cluster, lexical, semantic, hybrid; index: ivf, exact or none).");
        _documentsWritten = _meter.CreateCounter<long>("contextlite.documents.written", "{document}", "Documents added or updated.");
        _documentsRejected = _meter.CreateCounter<long>("contextlite.documents.rejected", "{document}", "Documents rejected on write.");
        _meter.CreateObservableGauge("contextlite.documents", gauges.Documents, "{document}", "Documents held, per workspace open on this node.");
        _meter.CreateObservableGauge("contextlite.chunks", gauges.Chunks, "{chunk}", "Chunks held, per workspace open on this node.");
        _meter.CreateObservableGauge("contextlite.storage.size", gauges.StorageBytes, "By", "Bytes on disk (database and WAL), per workspace open on this node.");
        _meter.CreateObservableGauge("contextlite.memory.size", gauges.MemoryBytes, "By", "Estimated memory of the vector index and in-process assemble cache, per workspace.");
        _meter.CreateObservableGauge("contextlite.embedding.queue.length", () => gauges.EmbeddingQueueLength, "{workspace}", "Workspaces waiting for background embedding.");
        _meter.CreateObservableGauge("contextlite.replication.lag", () => replication.AllFollowing
                .Where(f => f.Value.Head != long.MaxValue)
                .Select(f => new Measurement<long>(Math.Max(0, f.Value.Head - f.Value.Applied), new KeyValuePair<string, object?>(Workspace, workspaces.For(f.Key)))),
            "{change}", "Changes of the primary's log this node's copy has not applied yet, per workspace it follows.");
        _meter.CreateObservableGauge("contextlite.replication.under_replicated", () => replication.UnderReplicated().Count, "{workspace}",
            "Workspaces this node is the primary of with fewer than R live, caught-up copies.");
        _meter.CreateObservableCounter("contextlite.replication.failovers", () => replication.Failovers, "{failover}",
            "Workspaces this node took over from a primary that stopped answering.");
    }

    /// <summary>The capped tag value for a workspace (<c>other</c> past <c>telemetry:max_workspace_tags</c>).</summary>
    public string TagOf(string workspace) => _workspaces.For(workspace);

    public void RequestStarted(string workspace) => _activeRequests.Add(1, Tag(workspace));

    public void RequestFinished(string activeWorkspace, string workspace, string route, string method, int statusCode, TimeSpan elapsed)
    {
        _activeRequests.Add(-1, Tag(activeWorkspace));
        var tags = new TagList
        {
            { Workspace, TagOf(workspace) },
            { "route", route },
            { "method", method },
            { "status_code", statusCode },
        };
        _requests.Add(1, tags);
        _requestDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void Query(string workspace, string kind) =>
        _queries.Add(1, Tag(workspace), new KeyValuePair<string, object?>("kind", kind));

    public void Assembled(string workspace, int tokens, string cacheStatus)
    {
        _tokens.Add(tokens, Tag(workspace));
        if (cacheStatus == Caching.CacheResponse.Hit)
        {
            _cacheHits.Add(1, Tag(workspace));
        }
        else if (cacheStatus == Caching.CacheResponse.Miss)
        {
            _cacheMisses.Add(1, Tag(workspace));
        }
    }

    public void Solved(string workspace, string solver, string status, TimeSpan elapsed)
    {
        var tags = new TagList { { Workspace, TagOf(workspace) }, { "solver", solver }, { "status", status } };
        _solverRuns.Add(1, tags);
        _solverDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void Routed(string workspace, string route, bool clustersUsed, bool vectorStageRan) =>
        _routes.Add(1, new TagList
        {
            { Workspace, TagOf(workspace) },
            { "route", route },
            { "index", !vectorStageRan ? "none" : clustersUsed ? "ivf" : "exact" },
        });

    public void QuotaRefused(string workspace, string limit) =>
        _quotaRefusals.Add(1, Tag(workspace), new KeyValuePair<string, object?>("limit", limit));

    public void DocumentsWritten(string workspace, int count) => _documentsWritten.Add(count, Tag(workspace));

    public void DocumentsRejected(string workspace, int count) => _documentsRejected.Add(count, Tag(workspace));

    public void Dispose() => _meter.Dispose();

    private KeyValuePair<string, object?> Tag(string workspace) => new(Workspace, TagOf(workspace));
}
