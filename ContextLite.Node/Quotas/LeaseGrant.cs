namespace ContextLite.Node.Quotas;

/// <summary>The answer to a lease request.</summary>
/// <param name="LeaseId">The lease to release later, or null when refused.</param>
/// <param name="Active">Live leases of the workspace after the answer (including this one when granted).</param>
/// <param name="RetryAfter">When refused, the time until the oldest live lease expires at the latest.</param>
internal readonly record struct LeaseGrant(string? LeaseId, int Active, TimeSpan RetryAfter)
{
    public bool Granted => LeaseId is not null;
}
