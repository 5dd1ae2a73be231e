using System.Net;
using ContextLite.Node.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ContextLite.Node.Tests.Api;

/// <summary>The node's OpenAPI document is valid, fully described, and lists exactly the routes the node maps.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    // Not REST endpoints of the API: the MCP transport (its own protocol) and the document itself.
    // /metrics is Prometheus text for scrapers (service defaults), not part of the API.
    private static readonly string[] s_undocumented = ["/mcp", "/workspace/{workspace}/mcp", "/openapi/{documentName}.json", "/metrics"];

    private NodeHost _node = null!;
    private OpenApiDocument _document = null!;
    private OpenApiDiagnostic _diagnostic = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync();
        await using var stream = await _node.Client.GetStreamAsync("/openapi/v1.json");
        var settings = new OpenApiReaderSettings();
        var read = await OpenApiDocument.LoadAsync(stream, "json", settings);
        _document = read.Document!;
        _diagnostic = read.Diagnostic!;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public void Document_Parses_WithoutErrorsAndValidates()
    {
        var errors = _document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? [];

        Assert.Empty(_diagnostic.Errors);
        Assert.Empty(errors);
        Assert.Equal("ContextLite node API", _document.Info.Title);
        Assert.StartsWith("3.", _diagnostic.SpecificationVersion.ToString().Replace("OpenApi", "", StringComparison.Ordinal).Replace('_', '.'), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryOperation_HasAUniqueIdSummaryDescriptionAndSuccessResponse()
    {
        var operations = Operations().ToList();

        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.OperationId), o.Key);
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.Summary), o.Key);
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.Description), o.Key);
            Assert.Contains(o.Operation.Responses!.Keys, code => code.StartsWith('2'));
        });
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.OperationId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryPost_HasAJsonBodyWithAnExample_AndEveryWorkspacePathDeclaresItsParameter()
    {
        var operations = Operations().ToList();

        Assert.All(operations.Where(o => o.Method == HttpMethod.Post), o =>
            Assert.NotNull(o.Operation.RequestBody!.Content!["application/json"].Example));
        Assert.All(operations.Where(o => o.Path.Contains("{workspace}", StringComparison.Ordinal)), o =>
            Assert.Contains(o.Operation.Parameters!, p => p.Name == "workspace" && p.In == ParameterLocation.Path && p.Required));
        Assert.Contains(operations.Single(o => o.Key == "POST /api/v1/assemble").Operation.Parameters!, p => p.Name == "X-Workspace-ID");
    }

    [Fact]
    public void DocumentedPaths_AreExactlyTheMappedRoutes()
    {
        var mapped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in _node.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = Normalise(endpoint.RoutePattern.RawText!);
            if (s_undocumented.Contains(path) || path.StartsWith("/scalar", StringComparison.Ordinal))
            {
                continue;
            }

            // A health check (/alive) answers any method; it is documented as the GET that probes use.
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                mapped.Add($"{method} {path}");
            }
        }

        var documented = new SortedSet<string>(Operations().Select(o => o.Key), StringComparer.Ordinal);

        Assert.Equal(mapped, documented);
        Assert.Contains("POST /workspace/{workspace}/api/v1/search", documented);
    }

    [Theory]
    [InlineData("Development", HttpStatusCode.OK)]
    [InlineData("Production", HttpStatusCode.NotFound)]
    public async Task ScalarReferencePage_IsServedInDevelopmentOnly(string environment, HttpStatusCode expected)
    {
        await using var node = await NodeHost.StartAsync(environmentName: environment);

        using var page = await node.Client.GetAsync("/scalar/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(expected, page.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Contains("ContextLite node API", html, StringComparison.Ordinal);
        }
    }

    private IEnumerable<(string Key, string Path, HttpMethod Method, OpenApiOperation Operation)> Operations() =>
        from path in _document.Paths
        from operation in path.Value.Operations!
        select ($"{operation.Key.Method} {path.Key}", path.Key, operation.Key, operation.Value);

    // "/api/v1/documents/{*id}" is "/api/v1/documents/{id}" in OpenAPI; a group's "/" adds a trailing slash.
    private static string Normalise(string pattern)
    {
        var path = "/" + pattern.Replace("{*", "{", StringComparison.Ordinal).Trim('/');
        return path;
    }
}
