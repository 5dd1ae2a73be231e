using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Storage;
using ContextLite.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Node.Tests.Caching;

public sealed class AssembleCacheTests : IAsyncLifetime
{
    private const string Workspace = "cached";
    private const string Query = """{"query":"password rotation policy for login","max_tokens":300,"max_documents":3}""";
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync();
        await SeedAsync(_node);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Assemble_SameRequestTwice_SecondIsHitWithSameDocuments()
    {
        var first = await AssembleAsync(_node, Query);
        var second = await AssembleAsync(_node, Query);

        Assert.Equal("miss", (string?)first["cache"]!["status"]);
        Assert.Equal("hit", (string?)second["cache"]!["status"]);
        Assert.Equal((string?)first["cache"]!["key_version"], (string?)second["cache"]!["key_version"]);
        Assert.Equal(Ids(first), Ids(second));
        Assert.NotEmpty(Ids(second));
        Assert.Equal((int)first["total_tokens"]!, (int)second["total_tokens"]!);
        Assert.Equal("test-node", (string?)second["node_id"]);
    }

    [Fact]
    public async Task Assemble_EquivalentBodyWithOtherFieldOrder_IsHit()
    {
        await AssembleAsync(_node, Query);

        var reordered = await AssembleAsync(_node, """{ "max_documents": 3, "max_tokens": 300, "query": "password rotation policy for login" }""");

        Assert.Equal("hit", (string?)reordered["cache"]!["status"]);
    }

    [Fact]
    public async Task Assemble_DifferentMaxTokens_IsMiss()
    {
        await AssembleAsync(_node, Query);

        var other = await AssembleAsync(_node, """{"query":"password rotation policy for login","max_tokens":301,"max_documents":3}""");

        Assert.Equal("miss", (string?)other["cache"]!["status"]);
    }

    [Fact]
    public async Task Assemble_DifferentQueryText_IsMiss()
    {
        await AssembleAsync(_node, Query);

        var other = await AssembleAsync(_node, """{"query":"password rotation policy for login ","max_tokens":300,"max_documents":3}""");

        Assert.Equal("miss", (string?)other["cache"]!["status"]);
    }

    [Fact]
    public async Task Assemble_DocumentWrittenBetweenIdenticalRequests_SecondIsMissWithNewDocument()
    {
        var before = await AssembleAsync(_node, Query);
        Assert.DoesNotContain("rotation", Ids(before));

        var document = new { id = "rotation", path = "docs/password-rotation.md", content = "Password rotation policy: login passwords rotate every 90 days under the rotation policy." };
        using (var write = await _node.PostJsonAsync("/api/v1/documents", Json.Serialize(document), Workspace))
        {
            Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        }

        var after = await AssembleAsync(_node, Query);

        Assert.Equal("miss", (string?)after["cache"]!["status"]);
        Assert.NotEqual((string?)before["cache"]!["key_version"], (string?)after["cache"]!["key_version"]);
        Assert.Contains("rotation", Ids(after));
    }

    [Fact]
    public async Task Assemble_AfterEmbeddingWriteWithoutVersionBump_IsMiss()
    {
        var before = await AssembleAsync(_node, Query);
        var store = _node.App.Services.GetRequiredService<WorkspaceCatalog>().TryOpen(WorkspaceId.Parse(Workspace))!;
        var (model, dimension) = store.EmbeddingModel!.Value;
        var chunk = (long)before["documents"]![0]!["chunk_ids"]![0]!;
        var vector = new float[dimension];
        vector[0] = 1;

        // What background embedding does: store vectors, which changes answers but not the workspace version.
        await store.SaveEmbeddingsAsync([(chunk, vector)], model);
        var after = await AssembleAsync(_node, Query);

        var (versionBefore, versionAfter) = ((string)before["cache"]!["key_version"]!, (string)after["cache"]!["key_version"]!);
        Assert.Equal("miss", (string?)after["cache"]!["status"]);
        Assert.Equal(versionBefore.Split('.')[0], versionAfter.Split('.')[0]);
        Assert.NotEqual(versionBefore, versionAfter);
    }

    [Fact]
    public async Task Assemble_CacheDisabled_ReportsBypassEveryTime()
    {
        await using var node = await NodeHost.StartAsync(new Dictionary<string, string?> { ["cache:enabled"] = "false" });
        await SeedAsync(node);

        var first = await AssembleAsync(node, Query);
        var second = await AssembleAsync(node, Query);

        Assert.Equal("bypass", (string?)first["cache"]!["status"]);
        Assert.Equal("bypass", (string?)second["cache"]!["status"]);
        Assert.Null(second["cache"]!["key_version"]);
        Assert.Equal(Ids(first), Ids(second));
    }

    private static async Task SeedAsync(NodeHost node)
    {
        var docs = new[]
        {
            new { id = "auth", path = "src/auth/login.cs", content = "Login checks the password hash with bcrypt and issues a session token.\n\nFailed logins are rate limited." },
            new { id = "cache", path = "src/cache/redis.cs", content = "The cache stores session tokens in Redis with a sliding expiry.\n\nEvictions are logged." },
            new { id = "math", path = "src/math/matrix.cs", content = "Matrix multiplication uses blocked loops for cache locality.\n\nDeterminants use LU decomposition." },
        };
        using var response = await node.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), Workspace);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await node.WaitForEmbeddingsAsync();
    }

    private static async Task<JsonNode> AssembleAsync(NodeHost node, string body)
    {
        using var response = await node.PostJsonAsync("/api/v1/assemble", body, Workspace);
        var json = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json;
    }

    private static List<string> Ids(JsonNode body) => [.. body["documents"]!.AsArray().Select(d => (string)d!["id"]!)];
}
