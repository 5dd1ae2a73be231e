using System.Net;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Api;

public sealed class BringYourOwnVectorsTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync(new Dictionary<string, string?> { ["embeddings:provider"] = "none" });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task OwnVectors_DriveTheSemanticRanking()
    {
        var docs = new object[]
        {
            new { id = "x", path = "x.txt", content = "alpha", embedding = new[] { 1f, 0f, 0f } },
            new { id = "y", path = "y.txt", content = "beta", embedding = new[] { 0f, 1f, 0f } },
            new { id = "z", path = "z.txt", content = "gamma", embedding = new[] { 0f, 0f, 1f } },
        };
        using var write = await _node.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), "byo");
        Assert.Equal(3, (int)(await Json.ReadAsync(write))["added"]!);

        using var response = await _node.PostJsonAsync("/api/v1/search",
            """{"query":"unrelated words","mode":"semantic","k":3,"query_embedding":[0.1,0.9,0.0]}""", "byo");

        var body = await Json.ReadAsync(response);
        Assert.Equal("y", (string?)body["results"]![0]!["document_id"]);
        Assert.Equal("external-3", (string?)body["retrieval"]!["embedding_model"]);
    }

    [Fact]
    public async Task OwnVectors_OfAnotherDimension_Are409AndNotStored()
    {
        using var first = await _node.PostJsonAsync("/api/v1/documents", """{"id":"a","path":"a","content":"one","embedding":[1,0,0]}""", "dims");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await _node.PostJsonAsync("/api/v1/documents", """{"id":"b","path":"b","content":"two","embedding":[1,0,0,0]}""", "dims");

        var detail = await Json.AssertProblemAsync(second, 409);
        Assert.Contains("3-dimensional", detail);
        using var missing = await _node.GetAsync("/api/v1/documents/b", "dims");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task QueryEmbedding_OfAnotherDimension_Is409()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"id":"a","path":"a","content":"one","embedding":[1,0,0]}""", "qdims");

        using var response = await _node.PostJsonAsync("/api/v1/search", """{"query":"one","query_embedding":[1,0]}""", "qdims");

        await Json.AssertProblemAsync(response, 409);
    }

    [Fact]
    public async Task WithoutAnyVectors_QueriesStillAnswerLexicallyWithANote()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"id":"a","path":"a","content":"lexical only words"}""", "plain");

        using var response = await _node.PostJsonAsync("/api/v1/assemble", """{"query":"lexical words","max_tokens":100}""", "plain");

        var body = await Json.ReadAsync(response);
        Assert.Equal("a", (string?)body["documents"]![0]!["id"]);
        Assert.False(string.IsNullOrEmpty((string?)body["note"]));
    }
}
