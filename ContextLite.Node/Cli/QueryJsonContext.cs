using System.Text.Json.Serialization;
using ContextLite.Client.Contracts;

namespace ContextLite.Node.Cli;

/// <summary>The query commands' <c>--json</c> output: the API's snake_case, indented for reading.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(AssembleResult))]
[JsonSerializable(typeof(SearchResult))]
[JsonSerializable(typeof(WorkspaceList))]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class QueryJsonContext : JsonSerializerContext;
