namespace ContextLite.AppHost.Tests.Infrastructure;

/// <summary>A cluster of its own for the tests that stop nodes, so the shared one stays whole.</summary>
public sealed class FailoverFixture : ClusterFixture;
