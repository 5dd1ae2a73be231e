using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContextLite.Client;
using ContextLite.Gateway.Tests.Infrastructure;
using ContextLite.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextLite.Gateway.Tests.Security;

/// <summary>
/// Three keyed nodes behind a gateway with the same keys: the gateway refuses what the nodes would (401, 403, 400),
/// forwards the key so the nodes let the rest in, and its <c>/health</c> names only the caller's workspaces.
/// </summary>
public sealed partial class GatewayApiKeyTests : IAsyncLifetime
{
    private const string ReadAlpha = "gw-read-alpha-51c3";
    private const string WriteAlpha = "gw-write-alpha-77e0";
    private const string Admin = "gw-admin-all-0d9f";
    private const string Wrong = "gw-not-a-key";

    private readonly LogCapture _logs = new();
    private TestCluster _cluster = null!;
    private TestGateway _gateway = null!;

    private HttpClient Client => _gateway.Client;

    public async Task InitializeAsync()
    {
        var keys = Keys();
        _cluster = new TestCluster { NodeSettings = keys, GatewaySettings = keys };
        await _cluster.InitializeAsync();
        // A second gateway over the same nodes whose logs this class reads at Trace.
        var logged = new Dictionary<string, string?>(keys) { ["Logging:LogLevel:Default"] = "Trace" };
        _gateway = await TestGateway.StartAsync(_cluster.Nodes.Select(n => n.Endpoint), logged, b => b.Logging.AddProvider(_logs));
        foreach (var workspace in new[] { "alpha", "beta" })
        {
            using var response = await SendAsync(HttpMethod.Post, $"/workspace/{workspace}/api/v1/documents", Admin, """{"path": "a.md", "content": "alpha beta gamma"}""");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Wrong)]
    public async Task EveryMappedRoute_WithoutAValidKey_Is401WithBearerChallenge(string? key)
    {
        var routes = MappedRoutes(_gateway.App.Services).ToList();
        Assert.Contains(routes, r => r.Path == "/mcp");
        Assert.Contains(routes, r => r.Path.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Path.StartsWith("/workspace/", StringComparison.Ordinal));

        foreach (var (method, path) in routes)
        {
            using var response = await SendAsync(new HttpMethod(method), path, key, method == "GET" ? null : """{"query": "alpha"}""", header: "alpha");

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + WriteAlpha)]
    [InlineData("X-API-Key", WriteAlpha)]
    public async Task ValidKey_IsForwardedToTheKeyedNode(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
        {
            Content = new StringContent("""{"path": "fwd.md", "content": "forwarded"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Workspace-ID", "alpha");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await Client.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.NotNull(TestCluster.NodeOf(response));
    }

    public static TheoryData<string, string?, string?, string> WaysToNameBeta => new()
    {
        // path, header, user agent, body
        { "/workspace/beta/api/v1/search", null, null, """{"query": "alpha"}""" },
        { "/api/v1/search", "beta", null, """{"query": "alpha"}""" },
        { "/api/v1/search?workspace=beta", null, null, """{"query": "alpha"}""" },
        { "/api/v1/search", null, null, """{"query": "alpha", "workspace_path": "projects/beta"}""" },
        { "/api/v1/search", null, "editor/1.0 (workspace=beta)", """{"query": "alpha"}""" },
        { "/mcp", "alpha", null, """{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "search", "arguments": {"query": "x", "workspace": "beta"}}}""" },
    };

    [Theory]
    [MemberData(nameof(WaysToNameBeta))]
    public async Task KeyForAlpha_NamingBetaAnyWay_Is403AtTheGateway(string path, string? header, string? userAgent, string body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, WriteAlpha, body, header, userAgent);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(TestCluster.NodeOf(response));
        Assert.Contains("'beta'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathAndHeaderDisagree_Is400AtTheGateway()
    {
        using var response = await SendAsync(HttpMethod.Post, "/workspace/alpha/api/v1/search", Admin, """{"query": "alpha"}""", header: "beta");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(TestCluster.NodeOf(response));
        Assert.Contains("'beta'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_AreCheckedAtTheGateway()
    {
        using var readWrite = await SendAsync(HttpMethod.Post, "/api/v1/documents", ReadAlpha, """{"path": "r.md", "content": "x"}""", header: "alpha");
        using var readSearch = await SendAsync(HttpMethod.Post, "/api/v1/search", ReadAlpha, """{"query": "alpha"}""", header: "alpha");
        using var writeDeleteWorkspace = await SendAsync(HttpMethod.Delete, "/workspace/alpha/api/v1/workspaces/alpha", WriteAlpha);

        Assert.Equal(HttpStatusCode.Forbidden, readWrite.StatusCode);
        Assert.Null(TestCluster.NodeOf(readWrite));
        Assert.Equal(HttpStatusCode.OK, readSearch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, writeDeleteWorkspace.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Wrong)]
    public async Task Health_WithoutAValidKey_NamesNoWorkspace(string? key)
    {
        using var response = await SendAsync(HttpMethod.Get, "/health", key);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (int)JsonNode.Parse(text)!["workspaces"]!["total_workspaces"]!);
        Assert.DoesNotContain("alpha", text, StringComparison.Ordinal);
        Assert.DoesNotContain("beta", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_WithAKey_PlacesOnlyThatKeysWorkspaces()
    {
        using var reader = await SendAsync(HttpMethod.Get, "/health", ReadAlpha);
        using var admin = await SendAsync(HttpMethod.Get, "/health", Admin);

        var readerPlaced = (await reader.Content.ReadFromJsonAsync<JsonNode>())!["workspaces"]!["workspaces"]!.AsObject().Select(p => p.Key);
        var adminPlaced = (await admin.Content.ReadFromJsonAsync<JsonNode>())!["workspaces"]!["workspaces"]!.AsObject().Select(p => p.Key);
        Assert.Equal(["alpha"], readerPlaced);
        Assert.Equal(["alpha", "beta"], adminPlaced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Client_WithApiKey_WorksThroughTheGateway_AndWithoutOneIsRefused()
    {
        using var http = new HttpClient();
        var keyed = new ContextLiteClientOptions { Workspace = "alpha", ApiKey = ReadAlpha, MaxRetries = 0 };
        keyed.Endpoints.Add(Client.BaseAddress!);
        var anonymous = new ContextLiteClientOptions { Workspace = "alpha", MaxRetries = 0 };
        anonymous.Endpoints.Add(Client.BaseAddress!);

        var found = await new ContextLiteClient(http, keyed).SearchAsync("alpha");
        var refused = await Assert.ThrowsAnyAsync<ContextLiteException>(() => new ContextLiteClient(http, anonymous).SearchAsync("alpha"));

        Assert.Equal("alpha", found.Workspace);
        Assert.Contains(found.Results, r => r.Path == "a.md");
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_NeverLogTheKeyOrItsHash()
    {
        foreach (var key in new[] { ReadAlpha, WriteAlpha, Wrong })
        {
            using var a = await SendAsync(HttpMethod.Post, "/api/v1/documents", key, """{"path": "l.md", "content": "x"}""", header: "beta");
            using var b = await SendAsync(HttpMethod.Get, "/api/v1/workspaces", key);
        }

        Assert.Contains(_logs.Entries, e => e.Text.Contains("Refused", StringComparison.Ordinal));
        foreach (var secret in new[] { ReadAlpha, WriteAlpha, Wrong, Admin })
        {
            Assert.DoesNotContain(_logs.Entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(_logs.Entries, e => e.Text.Contains(ApiKeyHash.Compute(secret), StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Start_WithAMalformedHash_Fails()
    {
        var settings = new Dictionary<string, string?>
        {
            ["security:api_keys:0:hash"] = "abc",
            ["security:api_keys:0:role"] = "read",
            ["security:api_keys:0:workspaces:0"] = "*",
        };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TestGateway.StartAsync(_cluster.Nodes.Select(n => n.Endpoint), settings));

        Assert.Contains(error.Failures, f => f.Contains("hash must be the SHA-256", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Keys()
    {
        var settings = new Dictionary<string, string?>();
        var i = 0;
        foreach (var (key, role, workspace) in new[] { (ReadAlpha, "read", "alpha"), (WriteAlpha, "write", "alpha"), (Admin, "admin", "*") })
        {
            settings[$"security:api_keys:{i}:name"] = role + "-" + workspace;
            settings[$"security:api_keys:{i}:hash"] = ApiKeyHash.Compute(key);
            settings[$"security:api_keys:{i}:role"] = role;
            settings[$"security:api_keys:{i}:workspaces:0"] = workspace;
            i++;
        }

        return settings;
    }

    private static IEnumerable<(string Method, string Path)> MappedRoutes(IServiceProvider services)
    {
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (pattern is "/alive" or "/health" || pattern.StartsWith("/internal/", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Parameter().Replace(pattern, m => m.Groups["name"].Value == "rest" ? "alpha/api/v1/search" : "alpha");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
            {
                yield return (method, path);
            }
        }
    }

    [GeneratedRegex(@"\{\**(?<name>\w+)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();

    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? key, string? body = null, string? header = null, string? userAgent = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (header is not null)
        {
            request.Headers.Add("X-Workspace-ID", header);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return Client.SendAsync(request);
    }
}
