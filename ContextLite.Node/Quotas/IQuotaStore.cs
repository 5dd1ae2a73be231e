namespace ContextLite.Node.Quotas;

/// <summary>
/// Where per-workspace quota state lives: a token bucket per workspace and a set of concurrency leases.
/// Every operation is atomic in its store, so several nodes sharing one store share one bucket.
/// </summary>
internal interface IQuotaStore
{
    /// <summary>
    /// Takes <paramref name="tokens"/> from the workspace's bucket of <paramref name="capacityPerMinute"/> tokens,
    /// which refills continuously at <paramref name="capacityPerMinute"/> per minute and starts full.
    /// </summary>
    Task<TokenReservation> TryReserveAsync(string workspace, long tokens, long capacityPerMinute, CancellationToken cancellationToken = default);

    /// <summary>Gives back unused tokens; the bucket never rises above its capacity.</summary>
    Task RefundAsync(string workspace, long tokens, CancellationToken cancellationToken = default);

    /// <summary>Takes one of <paramref name="max"/> concurrency leases; it expires after <paramref name="ttl"/> unless released or renewed.</summary>
    Task<LeaseGrant> TryAcquireLeaseAsync(string workspace, int max, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease back; releasing an expired or unknown lease does nothing.</summary>
    Task ReleaseLeaseAsync(string workspace, string leaseId, CancellationToken cancellationToken = default);

    /// <summary>Extends a live lease to <paramref name="ttl"/> from now; false when it already expired.</summary>
    Task<bool> RenewLeaseAsync(string workspace, string leaseId, TimeSpan ttl, CancellationToken cancellationToken = default);
}
