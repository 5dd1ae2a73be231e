namespace ContextLite.AppHost.Tests.Infrastructure;

/// <summary>Tests that stop nodes, on their own cluster.</summary>
[CollectionDefinition(Name)]
public sealed class FailoverCollection : ICollectionFixture<FailoverFixture>
{
    public const string Name = "Failover";
}
