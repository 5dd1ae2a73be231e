using System.Text.Json.Serialization;
using ContextLite.Client.Contracts;

namespace ContextLite.Client;

/// <summary>The API's JSON: snake_case, nulls left out, source-generated.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AssembleRequest))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(DocumentsRequest))]
[JsonSerializable(typeof(AssembleResult))]
[JsonSerializable(typeof(SearchResult))]
[JsonSerializable(typeof(AddDocumentsResult))]
[JsonSerializable(typeof(WorkspaceList))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class ClientJson : JsonSerializerContext;
