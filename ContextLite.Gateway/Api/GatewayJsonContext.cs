using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContextLite.Gateway.Api;

/// <summary>Source-generated JSON for the gateway's own answers, snake_case like the nodes'.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GatewayHealthResponse))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
