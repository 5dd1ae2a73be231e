using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContextLite.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Node.Tests.Security;

/// <summary>With keys configured every public endpoint needs one; <c>/alive</c> and <c>/health</c> do not.</summary>
public sealed partial class ApiKeyAuthenticationTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync(ApiKeys.Settings());
        foreach (var workspace in new[] { "alpha", "beta" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/workspace/{workspace}/api/v1/documents")
            {
                Content = new StringContent("""{"path": "a.md", "content": "alpha beta gamma"}""", System.Text.Encoding.UTF8, "application/json"),
            }.With(ApiKeys.Admin);
            using var response = await _node.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string?> MissingOrWrongKeys => new() { null, ApiKeys.Wrong };

    [Theory]
    [MemberData(nameof(MissingOrWrongKeys))]
    public async Task EveryMappedEndpoint_WithoutAValidKey_Is401ProblemWithBearerChallenge(string? key)
    {
        // Arrange: every route the node maps, so a new endpoint is covered without touching this test.
        var routes = MappedRoutes(_node.App.Services).ToList();
        Assert.Contains(routes, r => r.Path == "/api/v1/assemble");
        Assert.Contains(routes, r => r.Path.StartsWith("/mcp", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Path == "/metrics");
        Assert.Contains(routes, r => r.Path.StartsWith("/workspace/alpha/api/v1/documents", StringComparison.Ordinal));

        foreach (var (method, path) in routes)
        {
            // Act
            using var request = new HttpRequestMessage(new HttpMethod(method), path).With(key);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("""{"query": "alpha", "path": "a.md", "content": "x"}""", System.Text.Encoding.UTF8, "application/json");
            }

            request.Headers.Add("X-Workspace-ID", "alpha");
            using var response = await _node.Client.SendAsync(request);

            // Assert
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
            await Json.AssertProblemAsync(response, 401);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Theory]
    [InlineData("Authorization", "Bearer " + ApiKeys.ReadAlpha)]
    [InlineData("X-API-Key", ApiKeys.ReadAlpha)]
    public async Task Documents_WithAValidKeyInEitherHeader_Answers(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/documents");
        request.Headers.Add("X-Workspace-ID", "alpha");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await _node.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/alive")]
    [InlineData("/health")]
    public async Task AliveAndHealth_WithoutAKey_Answer(string path)
    {
        using var response = await _node.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ApiKeys.Wrong)]
    public async Task Health_WithoutAValidKey_NamesNoWorkspace(string? key)
    {
        using var plain = await _node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health").With(key));
        using var scopedRequest = new HttpRequestMessage(HttpMethod.Get, "/health?workspace=alpha").With(key);
        using var scoped = await _node.Client.SendAsync(scopedRequest);

        foreach (var response in new[] { plain, scoped })
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(JsonNode.Parse(text)!["workspaces"]);
            Assert.Null(JsonNode.Parse(text)!["memory"]);
            Assert.DoesNotContain("alpha", text, StringComparison.Ordinal);
            Assert.DoesNotContain("beta", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_WithAKey_ShowsOnlyThatKeysWorkspaces()
    {
        using var reader = await _node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health").With(ApiKeys.ReadAlpha));
        using var admin = await _node.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health").With(ApiKeys.Admin));

        var readerWorkspaces = (await Json.ReadAsync(reader))["workspaces"]!["workspaces"]!.AsObject().Select(p => p.Key);
        var adminWorkspaces = (await Json.ReadAsync(admin))["workspaces"]!["workspaces"]!.AsObject().Select(p => p.Key);
        Assert.Equal(["alpha"], readerWorkspaces);
        Assert.Equal(["alpha", "beta"], adminWorkspaces);
    }

    /// <summary>Every mapped (method, path) but the exempt and internal ones, route parameters filled in.</summary>
    internal static IEnumerable<(string Method, string Path)> MappedRoutes(IServiceProvider services)
    {
        var source = services.GetRequiredService<EndpointDataSource>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (pattern is "/alive" or "/health" || pattern.StartsWith("/internal/", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Parameter().Replace(pattern, m => m.Groups["name"].Value == "workspace" ? "alpha" : "x");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                yield return (method, path);
            }
        }
    }

    [GeneratedRegex(@"\{\**(?<name>\w+)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
