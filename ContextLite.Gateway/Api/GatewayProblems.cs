using Microsoft.AspNetCore.Http.HttpResults;

namespace ContextLite.Gateway.Api;

/// <summary>The gateway's own problem+json answers (the nodes' pass through unchanged).</summary>
internal static class GatewayProblems
{
    public static ProblemHttpResult BadRequest(string detail, string title) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult Unavailable(string detail, string? node) =>
        TypedResults.Problem(
            detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Workspace unavailable",
            extensions: new Dictionary<string, object?> { ["node"] = node });
}
