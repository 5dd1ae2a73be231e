using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContextLite.Node.Tests.Infrastructure;

/// <summary>Reading JSON answers without binding them to the node's internal records.</summary>
public static class Json
{
    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty JSON body");
    }

    public static string Serialize(object value) => JsonSerializer.Serialize(value);

    /// <summary>Asserts a problem+json answer with <paramref name="status"/> and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, (int)problem["status"]!);
        var detail = (string?)problem["detail"];
        Assert.False(string.IsNullOrWhiteSpace(detail), "a problem must say what to fix: " + body);
        return detail!;
    }
}
