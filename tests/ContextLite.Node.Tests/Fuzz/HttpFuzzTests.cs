using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace ContextLite.Node.Tests.Fuzz;

/// <summary>
/// Property: whatever a client sends, the node answers below 500, keeps answering <c>/alive</c>, and a rejected
/// request leaves every workspace's documents, chunks and version as they were.
/// </summary>
/// <remarks>
/// <c>CONTEXTLITE_FUZZ_CASES</c> sets the number of cases (300 by default) and <c>CONTEXTLITE_FUZZ_SEED</c> the seed,
/// which a failure message prints so the failing case can be replayed.
/// </remarks>
public sealed class HttpFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int BodyLimitBytes = 65_536;

    private NodeHost _node = null!;

    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync(new Dictionary<string, string?>
        {
            ["server:max_request_body_bytes"] = BodyLimitBytes.ToString(CultureInfo.InvariantCulture),
            ["storage:max_document_bytes"] = "16384",
        });
        using var seed = await _node.PostJsonAsync(
            "/api/v1/documents/bulk",
            """[{"id":"keep","path":"keep.md","content":"alpha beta storage of documents"},{"id":"other","path":"src/b.cs","content":"class B { }"}]""",
            "fuzz");
        Assert.Equal(HttpStatusCode.OK, seed.StatusCode);
        await _node.WaitForEmbeddingsAsync();

        // The default client refuses non-ASCII header values; a hostile client does not.
        _client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = _node.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _node.DisposeAsync();
    }

    [Fact]
    public async Task AnyRequest_NeverServerErrorAndRejectedLeaveStoreUnchanged()
    {
        var cases = EnvironmentInt("CONTEXTLITE_FUZZ_CASES", 300);
        var seed = (ulong)EnvironmentInt("CONTEXTLITE_FUZZ_SEED", 7);
        var requests = FuzzGenerators.Requests(BodyLimitBytes).Sample(cases, new Rnd(seed), 20);
        var statuses = new SortedDictionary<int, int>();

        var before = await SnapshotAsync();
        var index = 0;
        foreach (var request in requests)
        {
            using var message = request.ToMessage();
            using var response = await SendAsync(message, request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var context = $"case {index} (seed {seed}): {request} -> {status}";
            Assert.True(status < 500, context + " " + await response.Content.ReadAsStringAsync());

            if (status >= 400)
            {
                Assert.True(before == await SnapshotAsync(), "a rejected request changed the store: " + context);
            }
            else
            {
                await _node.WaitForEmbeddingsAsync();
                before = await SnapshotAsync();
            }

            index++;
        }

        using var alive = await _node.Client.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        output.WriteLine($"{cases} cases, seed {seed}: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
    }

    [Fact]
    public async Task SlowBody_IsServedWhileOtherRequestsAreAnswered()
    {
        var body = Encoding.UTF8.GetBytes("""{"query":"alpha storage","k":3}""");
        // The last two bytes wait until /alive has answered: the body used to be done in about 0.3 s, which a loaded
        // machine could take to answer /alive, and the test then saw the slow request complete.
        var aliveAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var content = new TrickleContent(body, chunkBytes: 2, pause: TimeSpan.FromMilliseconds(20), beforeLastChunk: aliveAnswered.Task);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var slow = _node.Client.PostAsync("/workspace/fuzz/api/v1/search", content);
        await content.FirstBytesSent;
        try
        {
            using var alive = await _node.Client.GetAsync("/alive");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            Assert.False(slow.IsCompleted, "the trickled body should still be in flight while /alive answers");
        }
        finally
        {
            aliveAnswered.TrySetResult();
        }

        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BodyOverTheLimit_SentInChunksWithoutLength_Is413AndStoreUnchanged()
    {
        var before = await SnapshotAsync();
        var body = Encoding.UTF8.GetBytes("{\"path\":\"big.md\",\"content\":\"" + new string('x', BodyLimitBytes * 2) + "\"}");
        using var content = new TrickleContent(body, chunkBytes: 8192, pause: TimeSpan.Zero);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await _node.Client.PostAsync("/workspace/fuzz/api/v1/documents", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>
    /// Kestrel answers 413 as soon as a declared Content-Length is over the limit and closes the connection while the
    /// client is still writing; the client then sees a broken pipe instead of the status. That is the node refusing
    /// early, so it is counted as the 413 it is.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, FuzzRequest request)
    {
        try
        {
            return await _client.SendAsync(message);
        }
        catch (HttpRequestException error) when (request.Body?.Length > BodyLimitBytes && error.InnerException is IOException)
        {
            return new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge);
        }
    }

    private async Task<string> SnapshotAsync()
    {
        var workspaces = await _node.GetJsonAsync<JsonNode>("/api/v1/workspaces");
        var summary = workspaces["workspaces"]!.AsArray()
            .Select(w => $"{w!["id"]}:{w["documents"]}:{w["chunks"]}:{w["version"]}");
        var documents = await _node.GetJsonAsync<JsonNode>("/api/v1/documents?limit=1000", "fuzz");
        return string.Join(",", summary) + "|" + documents.ToJsonString();
    }

    private static int EnvironmentInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
