namespace ContextLite.AppHost.Tests.Infrastructure;

/// <summary>
/// A cluster of its own for the replication tests, which kill every node in turn: replication factor 2 (the AppHost's
/// default, said explicitly), hashing embedder, a failover after 3 s without answers from a primary.
/// </summary>
public sealed class ReplicationFixture : ClusterFixture
{
    public const int FailoverTimeoutMs = 3000;

    protected override IEnumerable<string> ExtraArguments =>
    [
        "Cluster:ReplicationFactor=2",
        "NodeSettings:embeddings:provider=hashing",
        "NodeSettings:cache:enabled=false",
        "NodeSettings:membership:heartbeat_seconds=1",
        $"NodeSettings:replication:failover_timeout_ms={FailoverTimeoutMs}",
        "NodeSettings:replication:ack_timeout_ms=3000",
        "NodeSettings:cluster:resource_limits:default:max_tokens_per_minute=100000000",
        "NodeSettings:cluster:resource_limits:default:max_concurrent_requests=100",
    ];
}

/// <summary>The replication tests, on their own cluster.</summary>
[CollectionDefinition(Name)]
public sealed class ReplicationCollection : ICollectionFixture<ReplicationFixture>
{
    public const string Name = "Replication";
}
