namespace ContextLite.Node.Quotas;

/// <summary>The names of the limits, as they appear in configuration and in refusals.</summary>
/// <remarks>
/// <c>max_memory_mb</c> bounds a workspace's in-memory vector index (writes that would outgrow it get a 507) and
/// its share of the in-process assemble cache (which gives way to the index). <c>priority</c> orders <see cref="AdmissionGate"/>.
/// </remarks>
internal static class QuotaLimits
{
    public const string MaxTokensPerMinute = "max_tokens_per_minute";
    public const string MaxConcurrentRequests = "max_concurrent_requests";
    public const string MaxDocumentsPerQuery = "max_documents_per_query";
    public const string MaxStorageMb = "max_storage_mb";
    public const string MaxMemoryMb = "max_memory_mb";

    /// <summary>The node-wide limit (<c>quotas:max_concurrent_queries</c>).</summary>
    public const string MaxConcurrentQueries = "max_concurrent_queries";
}
