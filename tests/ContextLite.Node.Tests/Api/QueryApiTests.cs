using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Api;

public sealed class QueryApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync();
        var docs = new[]
        {
            new { id = "auth", path = "src/auth/login.cs", content = "Login checks the password hash with bcrypt and issues a session token.\n\nFailed logins are rate limited." },
            new { id = "cache", path = "src/cache/redis.cs", content = "The cache stores session tokens in Redis with a sliding expiry.\n\nEvictions are logged." },
            new { id = "readme", path = "README.md", content = "# Project\n\nThis service handles authentication, sessions and caching for the web app." },
            new { id = "math", path = "src/math/matrix.cs", content = "Matrix multiplication uses blocked loops for cache locality.\n\nDeterminants use LU decomposition." },
            new { id = "dup", path = "docs/login.md", content = "Login checks the password hash with bcrypt and issues a session token.\n\nFailed logins are rate limited." },
        };
        using var response = await _node.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), "q");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _node.WaitForEmbeddingsAsync();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Assemble_ReturnsDocumentsWithEvidenceSolverAndTimings()
    {
        using var response = await _node.PostJsonAsync("/api/v1/assemble",
            """{"query":"how does login check the password","max_tokens":200,"max_documents":3,"explain":true}""", "q");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        var documents = body["documents"]!.AsArray();
        Assert.NotEmpty(documents);
        Assert.True(documents.Count <= 3);
        var first = documents[0]!;
        foreach (var field in (string[])["id", "path", "start_line", "end_line", "content", "tokens", "relevance", "reason", "chunk_ids"])
        {
            Assert.True(first[field] is not null, $"document field '{field}' missing: {first}");
        }

        Assert.Contains((string?)first["id"], new[] { "auth", "dup" });
        Assert.True((int)body["total_tokens"]! <= 200);
        Assert.Equal(documents.Sum(d => (int)d!["tokens"]!), (int)body["total_tokens"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["route"]));
        Assert.InRange((double)body["confidence"]!, 0, 1);
        var solver = body["solver"]!;
        Assert.Equal("branch_and_bound", (string?)solver["name"]);
        Assert.Contains((string?)solver["status"], new[] { "optimal", "feasible" });
        Assert.NotNull(solver["objective"]);
        Assert.NotNull(solver["elapsed_ms"]);
        Assert.True((int)solver["candidates"]! > 0);
        Assert.NotNull(body["timings_ms"]!["lexical"]);
        Assert.Equal("test-node", (string?)body["node_id"]);
        Assert.NotNull(body["penalties"]);
    }

    [Fact]
    public async Task Assemble_DuplicateDocuments_AreNotBothChosenWhenRedundancyIsPenalised()
    {
        using var response = await _node.PostJsonAsync("/api/v1/assemble",
            """{"query":"login password bcrypt session token","max_tokens":1000,"max_documents":5,"explain":true}""", "q");

        var body = await Json.ReadAsync(response);
        var ids = body["documents"]!.AsArray().Select(d => (string)d!["id"]!).ToList();
        Assert.False(ids.Contains("auth") && ids.Contains("dup"), "identical documents should not both be chosen: " + string.Join(",", ids));
        Assert.Contains(body["penalties"]!.AsArray(), p => (double)p!["penalty"]! > 0);
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("branch_and_bound")]
    [InlineData("z3")]
    public async Task Assemble_EachSolver_AnswersWithinBudgetAndNamesItself(string solver)
    {
        using var response = await _node.PostJsonAsync("/api/v1/assemble",
            $$"""{"query":"session cache redis","max_tokens":60,"max_documents":2,"solver":"{{solver}}"}""", "q");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(solver, (string?)body["solver"]!["name"]);
        Assert.True((int)body["total_tokens"]! <= 60);
        Assert.True(body["documents"]!.AsArray().Count <= 2);
    }

    [Fact]
    public async Task ContextAssemble_OlderPath_IsTheSameEndpoint()
    {
        using var response = await _node.PostJsonAsync("/api/v1/context/assemble", """{"query":"matrix determinant","max_tokens":500}""", "q");

        var body = await Json.ReadAsync(response);
        Assert.Equal("math", (string?)body["documents"]![0]!["id"]);
    }

    [Fact]
    public async Task Search_ReturnsRankedChunksWithScores()
    {
        using var response = await _node.PostJsonAsync("/api/v1/search", """{"query":"matrix multiplication","k":3,"mode":"hybrid"}""", "q");

        var body = await Json.ReadAsync(response);
        var results = body["results"]!.AsArray();
        Assert.InRange(results.Count, 1, 3);
        Assert.Equal("math", (string?)results[0]!["document_id"]);
        Assert.Equal("hybrid", (string?)body["route"]);
        Assert.NotNull(results[0]!["lexical_score"]);
        Assert.NotNull(results[0]!["semantic_score"]);
        var scores = results.Select(r => (double)r!["score"]!).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Theory]
    [InlineData("\"unbalanced quote")]
    [InlineData("NEAR(a b, 2)")]
    [InlineData("a* OR -b AND (c")]
    [InlineData("col:value ^ $ { } [ ]")]
    [InlineData("'; DROP TABLE documents; --")]
    [InlineData("认证 会话 缓存")]
    [InlineData("🔐🔑")]
    [InlineData("   *   ")]
    [InlineData("NOT")]
    [InlineData("\\u0000 \\t control")]
    public async Task Assemble_HostileQuery_Returns200(string query)
    {
        using var response = await _node.PostJsonAsync("/api/v1/assemble", Json.Serialize(new { query, max_tokens = 300 }), "q");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var search = await _node.PostJsonAsync("/api/v1/search", Json.Serialize(new { query }), "q");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }

    [Theory]
    [InlineData("""{"max_tokens":100}""", "'query' is required")]
    [InlineData("""{"query":"   "}""", "blank")]
    [InlineData("""{"query":"x","max_tokens":0}""", "max_tokens")]
    [InlineData("""{"query":"x","max_tokens":"many"}""", "max_tokens")]
    [InlineData("""{"query":"x","max_documents":-1}""", "max_documents")]
    [InlineData("""{"query":"x","mode":"psychic"}""", "mode")]
    [InlineData("""{"query":"x","solver":"oracle"}""", "solver")]
    [InlineData("""{"query":"x","query_embedding":[1,"a"]}""", "query_embedding")]
    [InlineData("""{"query":"x","model_id":"llama-3"}""", "model_id")]
    [InlineData("""[1,2]""", "JSON object")]
    public async Task Assemble_BadRequest_Is400WithTheField(string body, string hint)
    {
        using var response = await _node.PostJsonAsync("/api/v1/assemble", body, "q");

        var detail = await Json.AssertProblemAsync(response, 400);
        Assert.Contains(hint, detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Assemble_UnknownWorkspace_Is404()
    {
        using var response = await _node.PostJsonAsync("/api/v1/assemble", """{"query":"x"}""", "nobody-here");

        await Json.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task Workspace_DescribesEmbeddingProgress()
    {
        var workspace = await _node.GetJsonAsync<JsonNode>("/api/v1/workspaces/q");

        var embeddings = workspace["embeddings"]!;
        Assert.Equal("hashing-384", (string?)embeddings["model"]);
        Assert.Equal(384, (int)embeddings["dimension"]!);
        Assert.Equal((long)workspace["chunks"]!, (long)embeddings["embedded"]!);
        Assert.Equal(0, (long)embeddings["pending"]!);
    }
}
