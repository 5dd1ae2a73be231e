using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContextLite.Node.Api;

/// <summary>Compact serialisation of raw JSON values (metadata).</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class NodeJsonElementContext : JsonSerializerContext;
