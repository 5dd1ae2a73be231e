namespace ContextLite.AppHost.Tests.Infrastructure;

/// <summary>Tests that share one running cluster and leave every node up.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}
