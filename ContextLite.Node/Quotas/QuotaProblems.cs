using System.Globalization;
using ContextLite.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Node.Quotas;

/// <summary>The problem+json answers of quota refusals, each naming the limit and its numbers.</summary>
internal static class QuotaProblems
{
    /// <summary>429 with <c>Retry-After</c> in whole seconds, rounded up so a client that waits that long can succeed.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext context, QuotaRefusal refusal)
    {
        var seconds = RetryAfterSeconds(refusal.RetryAfter);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            $"{refusal.Detail} Retry after {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Quota exceeded: " + refusal.Limit,
            extensions: new Dictionary<string, object?> { ["limit"] = refusal.Limit, ["retry_after_seconds"] = seconds });
    }

    /// <summary>
    /// 507 when a write would take the workspace past <c>max_storage_mb</c>; null when it fits. The check is
    /// bytes on disk now plus the UTF-8 size of the request's content, so it errs towards refusing near the limit.
    /// </summary>
    public static ProblemHttpResult? CheckStorage(WorkspaceId workspace, long bytesOnDisk, long incomingBytes, int maxStorageMb)
    {
        var limit = maxStorageMb * 1024L * 1024L;
        if (bytesOnDisk + incomingBytes <= limit)
        {
            return null;
        }

        return TypedResults.Problem(
            string.Create(CultureInfo.InvariantCulture,
                $"Workspace '{workspace}' would exceed its max_storage_mb of {maxStorageMb} MB ({limit} bytes): {bytesOnDisk} bytes on disk plus {incomingBytes} bytes of content in this request. Nothing was written."),
            statusCode: StatusCodes.Status507InsufficientStorage,
            title: "Quota exceeded: " + QuotaLimits.MaxStorageMb,
            extensions: new Dictionary<string, object?>
            {
                ["limit"] = QuotaLimits.MaxStorageMb,
                ["limit_bytes"] = limit,
                ["bytes_on_disk"] = bytesOnDisk,
                ["request_bytes"] = incomingBytes,
            });
    }

    /// <summary>
    /// 507 when a write would take the workspace's in-memory vector index past <c>max_memory_mb</c>; null when it
    /// fits. The in-process cache never causes a refusal: it gives way to the index (see <c>AssembleCache</c>).
    /// </summary>
    public static ProblemHttpResult? CheckMemory(WorkspaceId workspace, long indexBytes, long incomingBytes, int maxMemoryMb)
    {
        var limit = maxMemoryMb * 1024L * 1024L;
        if (indexBytes + incomingBytes <= limit)
        {
            return null;
        }

        return TypedResults.Problem(
            string.Create(CultureInfo.InvariantCulture,
                $"Workspace '{workspace}' would exceed its max_memory_mb of {maxMemoryMb} MB ({limit} bytes): its vector index holds {indexBytes} bytes and this request would add about {incomingBytes} bytes. Nothing was written; raise max_memory_mb in resource_limits or split the workspace."),
            statusCode: StatusCodes.Status507InsufficientStorage,
            title: "Quota exceeded: " + QuotaLimits.MaxMemoryMb,
            extensions: new Dictionary<string, object?>
            {
                ["limit"] = QuotaLimits.MaxMemoryMb,
                ["limit_bytes"] = limit,
                ["index_bytes"] = indexBytes,
                ["request_bytes"] = incomingBytes,
            });
    }

    public static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
}
