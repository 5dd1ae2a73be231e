using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContextLite.Node.Api;

/// <summary>The node's JSON: snake_case, nulls omitted, source-generated for the API contracts.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DocumentWriteResponse))]
[JsonSerializable(typeof(BatchWriteResponse))]
[JsonSerializable(typeof(DocumentResponse))]
[JsonSerializable(typeof(DocumentListResponse))]
[JsonSerializable(typeof(WorkspaceResponse))]
[JsonSerializable(typeof(WorkspaceListResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(AssembleResponse))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(Indexing.ClusterSwapResponse))]
internal sealed partial class NodeJson : JsonSerializerContext
{
    /// <summary>Puts the node's contracts first in the resolver chain and applies its naming.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, Default);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}
