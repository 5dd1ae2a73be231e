using System.Net;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;

namespace ContextLite.Node.Tests.Api;

public sealed class DocumentsApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Post_NewDocument_Returns201WithIdChunksTokensAndNodeHeader()
    {
        using var response = await _node.PostJsonAsync("/api/v1/documents",
            """{"path":"src/readme.md","content":"# Title\n\nHello world.\n","metadata":{"lang":"md"}}""", "ws-a");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("test-node", response.Headers.GetValues("X-ContextLite-Node").Single());
        var body = await Json.ReadAsync(response);
        Assert.Equal("ws-a", (string?)body["workspace"]);
        Assert.Equal("added", (string?)body["status"]);
        Assert.Equal(1, (int)body["version"]!);
        Assert.Equal(1, (int)body["chunks"]!);
        Assert.True((int)body["tokens"]! > 3);
        Assert.EndsWith("/documents/" + (string?)body["id"], response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Post_SameDocumentTwice_SecondIsUnchangedAndWorkspaceVersionStays()
    {
        const string doc = """{"id":"d1","path":"a.txt","content":"alpha beta"}""";
        using var first = await _node.PostJsonAsync("/api/v1/documents", doc, "ws");
        var before = await _node.GetJsonAsync<JsonNode>("/api/v1/workspaces/ws");

        using var second = await _node.PostJsonAsync("/api/v1/documents", doc, "ws");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await Json.ReadAsync(second);
        Assert.Equal("unchanged", (string?)body["status"]);
        Assert.Equal(1, (int)body["version"]!);
        var after = await _node.GetJsonAsync<JsonNode>("/api/v1/workspaces/ws");
        Assert.Equal((long)before["version"]!, (long)after["version"]!);
    }

    [Fact]
    public async Task Post_ChangedContent_IsUpdatedToVersion2AndContentReplaced()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"id":"d1","path":"a.txt","content":"old text"}""", "ws");
        using var response = await _node.PostJsonAsync("/api/v1/documents", """{"id":"d1","path":"a.txt","content":"new text"}""", "ws");

        var body = await Json.ReadAsync(response);
        Assert.Equal("updated", (string?)body["status"]);
        Assert.Equal(2, (int)body["version"]!);
        var stored = await _node.GetJsonAsync<JsonNode>("/api/v1/documents/d1", "ws");
        Assert.Equal("new text", (string?)stored["content"]);
    }

    [Fact]
    public async Task Post_WithoutId_UpsertsByPath()
    {
        using var first = await _node.PostJsonAsync("/api/v1/documents", """{"path":"docs/x.md","content":"one"}""", "ws");
        using var second = await _node.PostJsonAsync("/api/v1/documents", """{"path":"docs/x.md","content":"two"}""", "ws");

        var a = await Json.ReadAsync(first);
        var b = await Json.ReadAsync(second);
        Assert.Equal((string?)a["id"], (string?)b["id"]);
        Assert.Equal("updated", (string?)b["status"]);
        var list = await _node.GetJsonAsync<JsonNode>("/api/v1/documents", "ws");
        Assert.Equal(1, (int)list["total"]!);
    }

    [Fact]
    public async Task Post_ArrayOfDocuments_WritesAllAndReportsEach()
    {
        using var response = await _node.PostJsonAsync("/api/v1/documents",
            """[{"path":"a","content":"one"},{"path":"b","content":"two"}]""", "ws");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(2, (int)body["added"]!);
        Assert.Equal(2, body["results"]!.AsArray().Count);
    }

    [Fact]
    public async Task Post_ArrayWithOneInvalidItem_WritesNothingAndNamesTheItem()
    {
        using var response = await _node.PostJsonAsync("/api/v1/documents",
            """[{"path":"a","content":"one"},{"path":"b","content":""}]""", "ws");

        var detail = await Json.AssertProblemAsync(response, 400);
        Assert.Contains("[1]", detail);
        Assert.Contains("content", detail);
        using var list = await _node.GetAsync("/api/v1/workspaces/ws");
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
    }

    [Fact]
    public async Task Bulk_MixedItems_WritesValidOnesAndReportsErrorsPerItem()
    {
        using var response = await _node.PostJsonAsync("/api/v1/documents/bulk", """
            [{"path":"ok1","content":"first"},
             {"path":5,"content":"wrong type"},
             {"path":"ok2","content":"second"},
             {"content":"no path"},
             "not an object",
             {"path":"empty","content":"   "}]
            """, "ws");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(2, (int)body["added"]!);
        Assert.Equal(4, (int)body["errors"]!);
        var results = body["results"]!.AsArray();
        Assert.Equal(["added", "error", "added", "error", "error", "error"], results.Select(r => (string)r!["status"]!).ToArray());
        Assert.Contains("'path' must be a string", (string?)results[1]!["error"]);
        Assert.Contains("'path' is required", (string?)results[3]!["error"]);
        var list = await _node.GetJsonAsync<JsonNode>("/api/v1/documents", "ws");
        Assert.Equal(["ok1", "ok2"], list["items"]!.AsArray().Select(i => (string)i!["path"]!).Order().ToArray());
    }

    [Fact]
    public async Task Bulk_DocumentsWrapperWithWorkspacePath_UsesTheSluggedWorkspace()
    {
        using var response = await _node.PostJsonAsync("/api/v1/documents/bulk",
            """{"workspace_path":"/Users/me/Projects/My App","documents":[{"path":"a","content":"x"}]}""");

        var body = await Json.ReadAsync(response);
        Assert.Equal("my-app", (string?)body["workspace"]);
        Assert.Equal(1, (int)body["added"]!);
    }

    [Fact]
    public async Task Post_PathOwnedByAnotherId_Returns409AndKeepsTheOriginal()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"id":"one","path":"shared.md","content":"original"}""", "ws");

        using var response = await _node.PostJsonAsync("/api/v1/documents", """{"id":"two","path":"shared.md","content":"intruder"}""", "ws");

        var detail = await Json.AssertProblemAsync(response, 409);
        Assert.Contains("one", detail);
        var stored = await _node.GetJsonAsync<JsonNode>("/api/v1/documents/one", "ws");
        Assert.Equal("original", (string?)stored["content"]);
        using var missing = await _node.GetAsync("/api/v1/documents/two", "ws");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task List_WithSmallPages_VisitsEveryDocumentOnce()
    {
        var docs = Enumerable.Range(0, 23).Select(i => new { id = $"doc-{i:D2}", path = $"p{i}", content = $"text {i}" });
        using var _ = await _node.PostJsonAsync("/api/v1/documents/bulk", Json.Serialize(docs), "ws");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _node.GetJsonAsync<JsonNode>("/api/v1/documents?limit=5" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), "ws");
            Assert.Equal(23, (int)page["total"]!);
            seen.AddRange(page["items"]!.AsArray().Select(i => (string)i!["id"]!));
            cursor = (string?)page["next_cursor"];
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"doc-{i:D2}"), seen);
    }

    [Fact]
    public async Task Get_WithChunks_ReturnsLineRangesThatRebuildTheContent()
    {
        var content = string.Join("\n\n", Enumerable.Range(0, 300).Select(i => $"Paragraph {i} talks about topic {i % 7} in some detail."));
        using var _ = await _node.PostJsonAsync("/api/v1/documents", Json.Serialize(new { id = "long", path = "long.md", content }), "ws");

        var doc = await _node.GetJsonAsync<JsonNode>("/api/v1/documents/long?include_chunks=true", "ws");

        var chunks = doc["chunks"]!.AsArray();
        Assert.True(chunks.Count > 1);
        Assert.Equal(content, string.Concat(chunks.Select(c => (string)c!["text"]!)));
        Assert.Equal(1, (int)chunks[0]!["start_line"]!);
        Assert.Equal(content.Split('\n').Length, (int)chunks[^1]!["end_line"]!);
        Assert.All(chunks, c => Assert.True((int)c!["tokens"]! <= 512));
    }

    [Fact]
    public async Task Get_IdWithSlashes_IsFound()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"id":"src/lib/a.cs","path":"src/lib/a.cs","content":"class A {}"}""", "ws");

        var doc = await _node.GetJsonAsync<JsonNode>("/api/v1/documents/src/lib/a.cs", "ws");

        Assert.Equal("class A {}", (string?)doc["content"]);
    }

    [Fact]
    public async Task Delete_ExistingDocument_Returns204ThenGetIs404()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"id":"gone","path":"g","content":"bye"}""", "ws");

        using var delete = await _node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/workspace/ws/api/v1/documents/gone"));
        using var get = await _node.GetAsync("/api/v1/documents/gone", "ws");
        using var again = await _node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/workspace/ws/api/v1/documents/gone"));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await Json.AssertProblemAsync(get, 404);
        await Json.AssertProblemAsync(again, 404);
    }

    [Fact]
    public async Task Documents_AreIsolatedBetweenWorkspaces()
    {
        using var _ = await _node.PostJsonAsync("/api/v1/documents", """{"id":"secret","path":"s","content":"only in a"}""", "team-a");

        using var fromB = await _node.GetAsync("/api/v1/documents/secret", "team-b");
        var listB = await _node.GetJsonAsync<JsonNode>("/api/v1/documents", "team-b");
        var fromA = await _node.GetJsonAsync<JsonNode>("/api/v1/documents/secret", "team-a");

        Assert.Equal(HttpStatusCode.NotFound, fromB.StatusCode);
        Assert.Equal(0, (int)listB["total"]!);
        Assert.Equal("only in a", (string?)fromA["content"]);
    }

    [Theory]
    [InlineData("/workspace/by-path/api/v1/documents", null, null, null, "by-path")]
    [InlineData("/api/v1/documents", "By-Header", null, null, "by-header")]
    [InlineData("/api/v1/documents?workspace=by-query", null, null, null, "by-query")]
    [InlineData("/api/v1/documents", null, null, "Tool/2.0 (linux; workspace=by-agent)", "by-agent")]
    [InlineData("/api/v1/documents", null, "/repos/By Body", null, "by-body")]
    [InlineData("/workspace/path-wins/api/v1/documents?workspace=q", "path-wins", "/x/b", "T (workspace=u)", "path-wins")]
    [InlineData("/api/v1/documents?workspace=q", "header-wins", "/x/b", "T (workspace=u)", "header-wins")]
    [InlineData("/api/v1/documents", null, null, null, "default")]
    public async Task Post_WorkspaceIdentification_FollowsThePrecedence(
        string path, string? header, string? bodyPath, string? userAgent, string expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(
                Json.Serialize(new { path = "a", content = "identify me", workspace_path = bodyPath }),
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        if (header is not null)
        {
            request.Headers.Add("X-Workspace-ID", header);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await _node.Client.SendAsync(request);

        var body = await Json.ReadAsync(response);
        Assert.Equal(expected, (string?)body["workspace"]);
    }
}
