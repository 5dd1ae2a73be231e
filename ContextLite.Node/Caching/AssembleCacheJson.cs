using System.Text.Json.Serialization;
using ContextLite.Node.Api;

namespace ContextLite.Node.Caching;

/// <summary>The stored form of a cached answer: the response's own JSON (snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AssembleResponse))]
internal sealed partial class AssembleCacheJson : JsonSerializerContext;
