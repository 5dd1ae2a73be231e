using ContextLite.Clustering;
using ContextLite.Core.Tests.Storage;
using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.Selection;
using ContextLite.Storage;
using Microsoft.Extensions.Options;

namespace ContextLite.Core.Tests.Search;

public sealed class ContextEngineTests : IDisposable
{
    private readonly TempCatalog _catalog = new(maxTokens: 64);
    private readonly HashingEmbeddingGenerator _embedder = new();
    private readonly WorkspaceVectors _vectors = new();

    public void Dispose() => _catalog.Dispose();

    [Fact]
    public async Task Assemble_IdenticalDocuments_ChoosesOnlyOneOfThem()
    {
        var store = await SeedAsync(
            ("a", "Login checks the password hash with bcrypt and issues a session token."),
            ("b", "Login checks the password hash with bcrypt and issues a session token."),
            ("c", "The cache stores session tokens in Redis with a sliding expiry."));
        var engine = Engine();

        var result = await engine.AssembleAsync(store, new AssembleRequest("login password bcrypt session token", 1000, 5, Explain: true));

        var ids = result.Passages.Select(p => p.DocumentId).ToList();
        Assert.False(ids.Contains("a") && ids.Contains("b"), "identical documents were both chosen: " + string.Join(",", ids));
        Assert.Contains(result.Penalties!, p => p.Penalty > 0);
    }

    [Fact]
    public async Task Assemble_NeverExceedsTheBudgetOrTheDocumentCap()
    {
        var random = new Random(7);
        var docs = Enumerable.Range(0, 40).Select(i => ($"d{i}", string.Join(' ', Enumerable.Range(0, random.Next(5, 120)).Select(_ => $"w{random.Next(30)}")))).ToArray();
        var store = await SeedAsync(docs);
        var engine = Engine();

        foreach (var (budget, cap) in new[] { (50, 2), (200, 5), (1000, 3), (10, 10) })
        {
            var result = await engine.AssembleAsync(store, new AssembleRequest("w1 w2 w3 w17", budget, cap));

            Assert.True(result.TotalTokens <= budget, $"budget {budget}: {result.TotalTokens}");
            Assert.True(result.Selection.Selected.Count <= cap);
            Assert.Equal(result.Passages.Sum(p => p.Tokens), result.TotalTokens);
        }
    }

    [Fact]
    public async Task Assemble_AdjacentChunksOfOneDocument_MergeIntoOnePassage()
    {
        var paragraphs = string.Join("\n\n", Enumerable.Range(0, 6).Select(i => $"Paragraph {i} explains the kernel scheduler and its run queues in detail, with locks and priorities."));
        var store = await SeedAsync(("long", paragraphs));
        var engine = Engine();

        var result = await engine.AssembleAsync(store, new AssembleRequest("kernel scheduler run queues locks priorities", 5000, 20));

        var passage = Assert.Single(result.Passages);
        Assert.Equal(paragraphs, passage.Content);
        Assert.Equal(1, passage.StartLine);
        Assert.True(passage.ChunkIds.Count > 1);
    }

    [Fact]
    public async Task Retrieve_RoutingThresholds_PickTheDocumentedRoute()
    {
        var store = await SeedAsync(("a", "alpha beta gamma"), ("b", "delta epsilon"), ("c", "alpha zeta"));
        var probe = await Engine().RetrieveAsync(store, "alpha beta", RetrievalMode.Auto, 10);
        var c = probe.Confidence;
        Assert.InRange(c, 0.01, 1);

        Assert.Equal("smt", (await Engine(new SearchOptions { SmtThreshold = c, ResidualThreshold = 0 }).RetrieveAsync(store, "alpha beta", RetrievalMode.Auto, 10)).Route);
        Assert.Equal("smt+residual", (await Engine(new SearchOptions { SmtThreshold = Math.Min(1, c + 0.001), ResidualThreshold = c }).RetrieveAsync(store, "alpha beta", RetrievalMode.Auto, 10)).Route);
        Assert.Equal("cluster", (await Engine(new SearchOptions { SmtThreshold = 1, ResidualThreshold = Math.Min(1, c + 0.001) }).RetrieveAsync(store, "alpha beta", RetrievalMode.Auto, 10)).Route);
    }

    [Fact]
    public async Task Retrieve_NoLexicalMatch_HasZeroConfidenceAndUsesTheClusterRoute()
    {
        var store = await SeedAsync(("a", "alpha beta gamma"));

        var result = await Engine().RetrieveAsync(store, "completely different words", RetrievalMode.Auto, 10);

        Assert.Equal(0, result.Confidence);
        Assert.Equal("cluster", result.Route);
        Assert.Equal("a", Assert.Single(result.Chunks).Chunk.DocumentId);
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(a b) AND -c OR *")]
    [InlineData("(((")]
    [InlineData("认证")]
    [InlineData("')); DROP TABLE chunks; --")]
    public async Task Retrieve_HostileQueryText_NeverThrows(string query)
    {
        var store = await SeedAsync(("a", "alpha beta gamma"), ("b", "认证 会话"));

        var result = await Engine().RetrieveAsync(store, query, RetrievalMode.Hybrid, 10);

        Assert.NotNull(result);
    }

    [Fact]
    public async Task Retrieve_ResultsDoNotDependOnClustersExistingWhenAllAreProbed()
    {
        var random = new Random(11);
        var docs = Enumerable.Range(0, 300).Select(i => ($"d{i}", string.Join(' ', Enumerable.Range(0, 20).Select(_ => $"t{random.Next(200)}")))).ToArray();
        var store = await SeedAsync(docs);
        var exactEngine = Engine();
        var before = await exactEngine.RetrieveAsync(store, "t5 t7 t9", RetrievalMode.Semantic, 20);

        var index = _vectors.Get(store)!;
        index.BuildClusters(new KMeansOptions(K: 10, Seed: 3));
        var probeAll = Engine(clustering: new ClusteringOptions { MinChunks = 1, NProbe = 10, ProbeGap = 0 });
        var after = await probeAll.RetrieveAsync(store, "t5 t7 t9", RetrievalMode.Semantic, 20);

        Assert.True(after.ClustersUsed);
        Assert.Equal(before.Chunks.Select(c => c.Chunk.Id), after.Chunks.Select(c => c.Chunk.Id));
    }

    private ContextEngine Engine(SearchOptions? search = null, ClusteringOptions? clustering = null) =>
        new(_vectors, _embedder, Options.Create(search ?? new SearchOptions()), Options.Create(clustering ?? new ClusteringOptions()), Options.Create(new SelectionOptions()));

    private async Task<WorkspaceStore> SeedAsync(params (string Id, string Text)[] docs)
    {
        var store = _catalog.Store();
        var inputs = new List<DocumentInput>();
        foreach (var (id, text) in docs)
        {
            inputs.Add(new DocumentInput(id, id + ".txt", text));
        }

        await store.UpsertAsync(inputs, atomic: true);
        var pending = store.ChunksWithoutEmbeddings(100_000);
        var embeddings = await _embedder.GenerateAsync(pending.Select(p => p.Text));
        await store.SaveEmbeddingsAsync(pending.Select((p, i) => (p.ChunkId, embeddings[i].Vector.ToArray())).ToList(), _embedder.ModelId);
        return store;
    }
}
