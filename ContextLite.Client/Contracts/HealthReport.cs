using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContextLite.Client.Contracts;

/// <summary>A node's or gateway's <c>/health</c>; the cluster and workspace parts are kept as JSON, their shapes differ.</summary>
public sealed record HealthReport(string? Status, string? NodeId, string? Version, long? UptimeSeconds, JsonElement? Cluster, JsonElement? Workspaces)
{
    /// <summary>The base address that answered.</summary>
    [JsonIgnore]
    public Uri? Endpoint { get; init; }
}
