using System.Net;
using ContextLite.Client.Contracts;
using ContextLite.Client.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ContextLite.Client.Tests;

/// <summary>429 and 503 are retried after Retry-After, or an exponential backoff when the server gives none.</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task TooManyRequests_FromARealNode_WaitsWhatRetryAfterSays_ThenReportsTheRefusal()
    {
        var port = PortBlock.Find(1);
        await using var node = await TestNode.StartAsync(port, "node-q", new Dictionary<string, string?>
        {
            ["cluster:resource_limits:tight:max_tokens_per_minute"] = "100",
        });
        var recorder = new ResponseRecorder(new SocketsHttpHandler());
        using var http = new HttpClient(recorder);
        var time = new RecordingTimeProvider();
        var options = new ContextLiteClientOptions { Workspace = "tight", MaxRetries = 2 };
        options.Endpoints.Add(node.BaseAddress);
        var client = new ContextLiteClient(http, options, time);
        // The first assemble keeps what it uses of its 100 tokens and the second reserves 100 again: the second is
        // refused until the used part has refilled, at 100 a minute 0.6 s a token. With a document of three words that
        // was about 2 s, which a loaded machine can spend on the four requests; with some 45 tokens used it is ~27 s.
        await client.AddDocumentsAsync([new("a.md", string.Join(' ', Enumerable.Repeat("alpha beta gamma", 15)))]);
        var first = await client.AssembleAsync("alpha", new AssembleOptions { MaxTokens = 100 });
        Assert.True(first.TotalTokens >= 30, $"the first assemble used {first.TotalTokens} tokens: too few to keep the bucket short");

        var error = await Assert.ThrowsAsync<ContextLiteException>(() => client.AssembleAsync("beta", new AssembleOptions { MaxTokens = 100 }));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("max_tokens_per_minute", error.Detail, StringComparison.Ordinal);
        var refusals = recorder.Responses.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, r => Assert.True(r.RetryAfter >= TimeSpan.FromSeconds(1)));
        Assert.Equal(refusals.Take(2).Select(r => r.RetryAfter!.Value), time.Waits);
    }

    [Fact]
    public async Task ServiceUnavailable_WithoutRetryAfter_BacksOffExponentially_ThenSucceeds_SendingKeyAndWorkspace()
    {
        await using var stub = await StubServer.StartAsync(async (context, index) =>
        {
            if (index < 2)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"node_id":"stub","total":0,"workspaces":[]}""");
        });
        using var http = new HttpClient();
        var time = new RecordingTimeProvider();
        var options = new ContextLiteClientOptions
        {
            Workspace = "ws",
            ApiKey = "secret-key",
            InitialBackoff = TimeSpan.FromMilliseconds(100),
        };
        options.Endpoints.Add(stub.BaseAddress);
        var client = new ContextLiteClient(http, options, time);

        var list = await client.ListWorkspacesAsync();

        Assert.Equal("stub", list.NodeId);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], time.Waits);
        Assert.Equal(3, stub.Requests.Count);
        Assert.All(stub.Requests, r => Assert.Equal(("/api/v1/workspaces", "Bearer secret-key", "ws"), r));
    }

    [Fact]
    public async Task MisdirectedRequest_NotThePrimaryAfterAFailover_IsRetriedAndTheNextAttemptAnswers()
    {
        await using var stub = await StubServer.StartAsync(async (context, index) =>
        {
            if (index == 0)
            {
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("""{"title":"Not the primary","status":421,"primary":"node-2"}""");
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"node_id":"stub","total":0,"workspaces":[]}""");
        });
        using var http = new HttpClient();
        var time = new RecordingTimeProvider();
        var options = new ContextLiteClientOptions { Workspace = "ws", InitialBackoff = TimeSpan.FromMilliseconds(100) };
        options.Endpoints.Add(stub.BaseAddress);
        var client = new ContextLiteClient(http, options, time);

        var list = await client.ListWorkspacesAsync();

        Assert.Equal("stub", list.NodeId);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(100)], time.Waits);
    }

    [Fact]
    public async Task TooManyRequests_WaitsRetryAfter_AndOneBeyondMaxRetryAfterIsReportedAtOnce()
    {
        await using var stub = await StubServer.StartAsync(async (context, index) =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = index == 0 ? "30" : "3600";
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync("""{"title":"Quota exceeded: max_requests","detail":"Slow down.","status":429}""");
        });
        using var http = new HttpClient();
        var time = new RecordingTimeProvider();
        var options = new ContextLiteClientOptions { MaxRetryAfter = TimeSpan.FromMinutes(1) };
        options.Endpoints.Add(stub.BaseAddress);
        var client = new ContextLiteClient(http, options, time);

        var error = await Assert.ThrowsAsync<ContextLiteException>(() => client.SearchAsync("anything"));

        Assert.Equal([TimeSpan.FromSeconds(30)], time.Waits);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal("Quota exceeded: max_requests", error.Title);
        Assert.Equal("Slow down.", error.Detail);
    }

    [Fact]
    public void Backoff_DoublesFromTheInitialWait_UpToTheMaximum()
    {
        using var http = new HttpClient();
        var client = new ContextLiteClient(http, new ContextLiteClientOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(250),
            MaxBackoff = TimeSpan.FromSeconds(1),
        });

        Assert.Equal(
            [250, 500, 1000, 1000],
            Enumerable.Range(0, 4).Select(i => client.Backoff(i).TotalMilliseconds));
    }

    /// <summary>Records each response's status and Retry-After as the client received them.</summary>
    private sealed class ResponseRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<(HttpStatusCode Status, TimeSpan? RetryAfter)> Responses { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (Responses)
            {
                Responses.Add((response.StatusCode, response.Headers.RetryAfter?.Delta));
            }

            return response;
        }
    }
}
