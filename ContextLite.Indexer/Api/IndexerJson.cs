using System.Text.Json.Serialization;

namespace ContextLite.Indexer.Api;

/// <summary>The indexer's JSON: snake_case, nulls omitted, source-generated.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IndexerHealthResponse))]
[JsonSerializable(typeof(NodeSwapAnswer))]
internal sealed partial class IndexerJson : JsonSerializerContext;

/// <summary>The node's answer to a cluster push (its <c>ClusterSwapResponse</c>).</summary>
internal sealed record NodeSwapAnswer(string Workspace, long ClustersVersion, int K, int Vectors, int AssignedAfterSnapshot);
