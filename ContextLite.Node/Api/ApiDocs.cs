using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace ContextLite.Node.Api;

/// <summary>
/// The OpenAPI description of each endpoint: a unique operation id, a summary, a description and, for the handlers
/// that read their JSON body by hand (so nothing is inferred), the body's shape with an example.
/// </summary>
internal static class ApiDocs
{
    /// <summary>Names and describes <paramref name="endpoint"/>; <paramref name="tag"/> groups it on the reference page.</summary>
    public static RouteHandlerBuilder Document(
        this RouteHandlerBuilder endpoint, ApiScope scope, string name, string tag, string summary, string description, string? exampleBody = null, bool workspaceScoped = true)
    {
        endpoint
            .WithName(scope.Name(name))
            .WithTags(tag)
            .WithSummary(summary)
            .WithDescription(workspaceScoped ? scope.Describe(description) : description)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        if (exampleBody is not null)
        {
            endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var example = JsonNode.Parse(exampleBody);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "JSON (snake_case; unknown fields are ignored). `curl -d` without a content type is accepted as JSON.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = new OpenApiSchema { Type = example is JsonArray ? JsonSchemaType.Array : JsonSchemaType.Object },
                            Example = example,
                        },
                    },
                };
                return Task.CompletedTask;
            });
        }

        return endpoint;
    }
}
