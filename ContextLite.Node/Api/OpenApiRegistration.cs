using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ContextLite.Node.Api;

/// <summary>
/// The OpenAPI document of the node's API at <c>/openapi/v1.json</c>, and in Development the Scalar reference page
/// at <c>/scalar</c> (try every call from the browser).
/// </summary>
internal static class OpenApiRegistration
{
    public const string DocumentName = "v1";

    public const string DocumentPath = "/openapi/" + DocumentName + ".json";

    public static IServiceCollection AddNodeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ContextLite node API",
                    Version = DocumentName,
                    Description = "Documents per workspace, and for each question the passages that matter most within a token budget. "
                        + "JSON is snake_case; errors are RFC 7807 problem+json with a `detail` that says what to fix. Every `/api/v1/...` "
                        + "route is also served under `/workspace/{workspace}/api/v1/...`. MCP clients use `/mcp` (streamable HTTP) instead.",
                };

                // /alive is a health check, not a route handler, so the generator does not see it.
                document.Paths["/alive"] = new OpenApiPathItem
                {
                    Operations = new Dictionary<HttpMethod, OpenApiOperation>
                    {
                        [HttpMethod.Get] = new()
                        {
                            OperationId = "Alive",
                            Summary = "Liveness",
                            Description = "200 `Healthy` while the process serves requests; it checks nothing else.",
                            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                            Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "Healthy" } },
                        },
                    },
                };
                // /metrics is served by prometheus-net's middleware (ServiceDefaults), also invisible to the generator.
                document.Paths["/metrics"] = new OpenApiPathItem
                {
                    Operations = new Dictionary<HttpMethod, OpenApiOperation>
                    {
                        [HttpMethod.Get] = new()
                        {
                            OperationId = "Metrics",
                            Summary = "Prometheus metrics",
                            Description = "The node's `contextlite_*` series (per-workspace label, capped) in Prometheus text format; see docs/observability.md.",
                            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                            Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "Prometheus text exposition format" } },
                        },
                    },
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var path = "/" + context.Description.RelativePath;
                operation.Parameters ??= [];
                if (path.StartsWith(ApiScope.Workspace.Prefix, StringComparison.Ordinal) && !operation.Parameters.Any(p => p.Name == "workspace"))
                {
                    // The group's route value is read by the workspace resolver, not bound by a handler, so it is declared here.
                    operation.Parameters.Insert(0, new OpenApiParameter
                    {
                        Name = "workspace",
                        In = ParameterLocation.Path,
                        Required = true,
                        Description = "The workspace (`^[a-z0-9][a-z0-9._-]{0,63}$` after lower-casing).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        Example = "demo",
                    });
                }
                else if (!path.StartsWith(ApiScope.Workspace.Prefix.Split('{')[0], StringComparison.Ordinal) && !path.Contains("/workspaces", StringComparison.Ordinal))
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "X-Workspace-ID",
                        In = ParameterLocation.Header,
                        Description = "The workspace (`^[a-z0-9][a-z0-9._-]{0,63}$` after lower-casing); `default` when nothing names one.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        Example = "demo",
                    });
                }

                return Task.CompletedTask;
            });
        });

    public static WebApplication MapNodeOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(o => o.WithTitle("ContextLite node API"));
        }

        return app;
    }
}
