namespace ContextLite.AppHost.Tests.Infrastructure;

/// <summary>
/// A cluster of its own for the tests that stop and kill nodes, so the shared one stays whole. Its nodes embed
/// with the hashing embedder (no MiniLM backlog on two cores), hand out concurrency leases of 10 s, and give the
/// solver 30 s so that a request can be caught holding <see cref="LeaseWorkspace"/>'s only lease.
/// </summary>
public sealed class FailoverFixture : ClusterFixture
{
    /// <summary>The workspace allowed one request at a time, cluster-wide.</summary>
    public const string LeaseWorkspace = "lease-test";

    /// <summary>
    /// Long enough to outlive, on a loaded machine, the steps from a lease's grant to the first probe after its holder
    /// is killed (a head start, the probes that catch it, killing a process tree); 4 s could run out before that.
    /// </summary>
    public const int LeaseTtlSeconds = 10;

    protected override IEnumerable<string> ExtraArguments =>
    [
        // One copy per workspace: these tests show what a lost node costs without replication (ReplicationFixture has R = 2).
        "Cluster:ReplicationFactor=1",
        "NodeSettings:embeddings:provider=hashing",
        $"NodeSettings:quotas:lease_ttl_seconds={LeaseTtlSeconds}",
        "NodeSettings:selection:time_limit_ms=30000",
        "NodeSettings:search:selection_candidates=250",
        "NodeSettings:cache:enabled=false",
        $"NodeSettings:cluster:resource_limits:{LeaseWorkspace}:max_concurrent_requests=1",
        $"NodeSettings:cluster:resource_limits:{LeaseWorkspace}:max_tokens_per_minute=1000000000",
    ];
}
