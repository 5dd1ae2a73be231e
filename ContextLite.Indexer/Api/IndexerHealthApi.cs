using ContextLite.Indexer.Rebuilds;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Indexer.Api;

/// <summary><c>/health</c>: the lease, the rebuild in progress, the last build and the counters.</summary>
internal static class IndexerHealthApi
{
    public static WebApplication MapIndexerHealthApi(this WebApplication app)
    {
        app.MapGet("/health", GetHealth);
        return app;
    }

    private static Ok<IndexerHealthResponse> GetHealth(IndexerStatus status, RebuildWorker worker)
    {
        var current = status.Current;
        var state = !status.RedisConnected ? "degraded" : "healthy";
        var role = current is not null ? "rebuilding" : status.HoldsLease ? "active" : "standby";
        return TypedResults.Ok(new IndexerHealthResponse(
            state, "indexer", worker.InstanceId, role,
            new LeaseResponse(status.HoldsLease, status.LeaseHolder),
            status.StaleWorkspaces, status.LastScan, status.Rebuilds, status.Failures, status.LastError,
            current, status.Last));
    }
}

/// <summary>The indexer's <c>/health</c>.</summary>
internal sealed record IndexerHealthResponse(
    string Status, string Service, string Instance, string Role, LeaseResponse Lease, int StaleWorkspaces, DateTimeOffset? LastScan,
    long Rebuilds, long Failures, string? LastError, RebuildProgress? Current, RebuildRecord? LastBuild);

/// <summary>Who holds the indexer lease, and whether it is this replica.</summary>
internal sealed record LeaseResponse(bool Held, string? Holder);
