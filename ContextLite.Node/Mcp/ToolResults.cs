using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol.Protocol;

namespace ContextLite.Node.Mcp;

/// <summary>Turns the API's results into tool results: text for the model, the API's JSON as structured content.</summary>
internal static class ToolResults
{
    public static CallToolResult From<T>(IResult result, JsonTypeInfo<T> json, Func<T, string> text) => result switch
    {
        IValueHttpResult<T> { Value: { } value } => new CallToolResult
        {
            Content = [new TextContentBlock { Text = text(value) }],
            StructuredContent = JsonSerializer.SerializeToElement(value, json),
        },
        ProblemHttpResult problem => Problem(problem),
        _ => throw new InvalidOperationException($"Unexpected API result {result.GetType().Name}."),
    };

    /// <summary>An API problem as a tool error the model can read and act on (fix an argument, wait, add documents).</summary>
    public static CallToolResult Problem(ProblemHttpResult problem) => new()
    {
        IsError = true,
        Content =
        [
            new TextContentBlock
            {
                Text = string.Create(CultureInfo.InvariantCulture, $"{problem.ProblemDetails.Title} ({problem.StatusCode}): {problem.ProblemDetails.Detail}"),
            },
        ],
    };
}
