using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Api;

/// <summary>Every class of bad input gets a 4xx problem+json that says what to fix, and leaves the store as it was.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["server:max_request_body_bytes"] = "65536",
            ["server:max_documents_per_request"] = "3",
            ["storage:max_document_bytes"] = "2048",
        });
        using var seed = await _node.PostJsonAsync("/api/v1/documents", """{"id":"keep","path":"keep.md","content":"stable"}""", "ws");
        Assert.Equal(HttpStatusCode.Created, seed.StatusCode);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "malformed JSON", """{"path":"a","content":""", 400, "not valid JSON" },
        { "trailing garbage", """{"path":"a","content":"x"} x""", 400, "not valid JSON" },
        { "empty body", "", 400, "empty" },
        { "JSON number root", "42", 400, "number" },
        { "JSON string root", "\"hello\"", 400, "string" },
        { "path is a number", """{"path":1,"content":"x"}""", 400, "'path' must be a string" },
        { "content is an array", """{"path":"a","content":["x"]}""", 400, "'content' must be a string" },
        { "metadata is a string", """{"path":"a","content":"x","metadata":"m"}""", 400, "'metadata' must be a JSON object" },
        { "id is an object", """{"id":{},"path":"a","content":"x"}""", 400, "'id' must be a string" },
        { "missing content", """{"path":"a"}""", 400, "'content' is required" },
        { "missing path", """{"content":"x"}""", 400, "'path' is required" },
        { "empty content", """{"path":"a","content":""}""", 400, "'content' is empty" },
        { "blank content", """{"path":"a","content":" \n\t "}""", 400, "white space" },
        { "blank path", """{"path":"  ","content":"x"}""", 400, "'path' is required" },
        { "NUL in path", """{"path":"a\u0000b","content":"x"}""", 400, "control characters" },
        { "NUL in content", """{"path":"a","content":"x\u0000y"}""", 400, "NUL" },
        { "lone surrogate", """{"path":"a","content":"x\ud800y"}""", 400, "not valid text" },
        { "lone surrogate in metadata", """{"path":"a","content":"x","metadata":{"k":"x\ud800y"}}""", 400, "not valid text" },
        { "lone surrogate in a metadata key", """{"path":"a","content":"x","metadata":{"\udc00":"v"}}""", 400, "not valid text" },
        { "content over the limit", "{\"path\":\"a\",\"content\":\"" + new string('x', 3000) + "\"}", 400, "max_document_bytes" },
        { "too many documents", """[{"path":"a","content":"1"},{"path":"b","content":"2"},{"path":"c","content":"3"},{"path":"d","content":"4"}]""", 413, "limit is 3" },
        { "empty array", "[]", 400, "empty" },
        { "documents not an array", """{"documents":{"path":"a"}}""", 400, "'documents' must be an array" },
        { "deeply nested", new string('[', 200) + new string(']', 200), 400, "not valid JSON" },
        { "body over the limit", "{\"path\":\"a\",\"content\":\"" + new string('x', 70_000) + "\"}", 413, "max_request_body_bytes" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task PostDocuments_BadBody_IsRejectedWithProblemAndStoreUnchanged(string label, string body, int status, string hint)
    {
        var before = await SnapshotAsync();

        using var response = await _node.PostJsonAsync("/api/v1/documents", body, "ws");

        var detail = await Json.AssertProblemAsync(response, status);
        Assert.True(detail.Contains(hint, StringComparison.OrdinalIgnoreCase), $"{label}: '{detail}' should mention '{hint}'");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task PostDocuments_InvalidUtf8Bytes_Is400AndStoreUnchanged()
    {
        var before = await SnapshotAsync();
        var bytes = Encoding.UTF8.GetBytes("""{"path":"a","content":"x""").Concat(new byte[] { 0xFF, 0xFE, 0x22, 0x7D }).ToArray();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _node.Client.PostAsync("/workspace/ws/api/v1/documents", content);

        await Json.AssertProblemAsync(response, 400);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task PostDocuments_XmlContentType_Is415()
    {
        using var content = new StringContent("<doc/>", Encoding.UTF8, "application/xml");

        using var response = await _node.Client.PostAsync("/workspace/ws/api/v1/documents", content);

        await Json.AssertProblemAsync(response, 415);
    }

    [Fact]
    public async Task PostDocuments_CurlDefaultFormContentType_IsAcceptedAsJson()
    {
        using var content = new StringContent("""{"path":"curl.md","content":"sent with curl -d"}""", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await _node.Client.PostAsync("/workspace/curl/api/v1/documents", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("has space")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task AnyEndpoint_InvalidWorkspaceHeader_Is400(string workspace)
    {
        var before = await SnapshotAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
        {
            Content = new StringContent("""{"path":"a","content":"x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Workspace-ID", workspace);

        using var response = await _node.Client.SendAsync(request);

        var detail = await Json.AssertProblemAsync(response, 400);
        Assert.Contains("X-Workspace-ID", detail);
        Assert.Equal(before, await SnapshotAsync());
        Assert.All(Directory.GetFiles(_node.DataDirectory), f => Assert.StartsWith(_node.DataDirectory, Path.GetFullPath(f)));
    }

    [Theory]
    [InlineData("/workspace/..%2Fetc/api/v1/documents")]
    [InlineData("/workspace/UPPER..x/api/v1/documents")]
    [InlineData("/workspace/a..b/api/v1/documents")]
    [InlineData("/api/v1/documents?workspace=x%C3%A9")]
    [InlineData("/api/v1/documents?workspace=..")]
    [InlineData("/api/v1/documents?workspace=a%00b")]
    public async Task GetDocuments_TraversalInWorkspace_Is400(string path)
    {
        using var response = await _node.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=-5")]
    [InlineData("limit=abc")]
    [InlineData("limit=99999999999")]
    public async Task ListDocuments_BadLimit_Is400(string query)
    {
        using var response = await _node.GetAsync("/api/v1/documents?" + query, "ws");

        var detail = await Json.AssertProblemAsync(response, 400);
        Assert.Contains("limit", detail);
    }

    [Fact]
    public async Task GetDocument_BadFlag_Is400()
    {
        using var response = await _node.GetAsync("/api/v1/documents/keep?include_chunks=maybe", "ws");

        await Json.AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task UnknownRoute_Is404ProblemJson()
    {
        using var response = await _node.Client.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bulk_UnknownFields_AreIgnored()
    {
        using var response = await _node.PostJsonAsync("/api/v1/documents/bulk", """[{"path":"u","content":"x","colour":"blue","nested":{"a":[1,2]}}]""", "ws");

        var body = await Json.ReadAsync(response);
        Assert.Equal(1, (int)body["added"]!);
    }

    private async Task<string> SnapshotAsync()
    {
        var workspaces = await _node.GetJsonAsync<JsonNode>("/api/v1/workspaces");
        var summary = workspaces["workspaces"]!.AsArray()
            .Select(w => $"{w!["id"]}:{w["documents"]}:{w["chunks"]}:{w["version"]}");
        return string.Join(",", summary);
    }
}
