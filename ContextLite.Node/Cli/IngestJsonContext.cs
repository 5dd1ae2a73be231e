using System.Text.Json.Serialization;

namespace ContextLite.Node.Cli;

/// <summary>The bulk endpoint's wire format, snake_case like the rest of the node's API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<IngestDocument>))]
[JsonSerializable(typeof(IngestBatchResponse))]
internal sealed partial class IngestJsonContext : JsonSerializerContext
{
}
