namespace ContextLite.Embeddings.MiniLM.Tests;

/// <summary>One generator (two sessions) and the reference data shared by every test: a session costs ≈ 0.5 s to load.</summary>
public sealed class MiniLmFixture : IDisposable
{
    internal MiniLmEmbeddingGenerator Generator { get; } = new(new MiniLmEmbeddingOptions { SessionPoolSize = 2 });

    internal SciFactQueries Queries { get; } = SciFactQueries.Load();

    public void Dispose() => Generator.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
