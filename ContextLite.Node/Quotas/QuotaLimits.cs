namespace ContextLite.Node.Quotas;

/// <summary>The names of the limits, as they appear in configuration and in refusals.</summary>
/// <remarks>
/// <c>max_memory_mb</c> is not enforced yet: the node has no per-workspace
/// accounting of its in-memory index and caches to hold against it. <c>priority</c> orders <see cref="AdmissionGate"/>.
/// </remarks>
internal static class QuotaLimits
{
    public const string MaxTokensPerMinute = "max_tokens_per_minute";
    public const string MaxConcurrentRequests = "max_concurrent_requests";
    public const string MaxDocumentsPerQuery = "max_documents_per_query";
    public const string MaxStorageMb = "max_storage_mb";

    /// <summary>The node-wide limit (<c>quotas:max_concurrent_queries</c>).</summary>
    public const string MaxConcurrentQueries = "max_concurrent_queries";
}
