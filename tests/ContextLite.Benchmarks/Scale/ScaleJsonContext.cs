using System.Text.Json.Serialization;

namespace ContextLite.Benchmarks.Scale;

/// <summary>The JSON of a scale run (snake_case, indented), written beside the markdown.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ScaleReportJson))]
internal sealed partial class ScaleJsonContext : JsonSerializerContext;

/// <summary>What the JSON file holds: when, where, how, and every run.</summary>
internal sealed record ScaleReportJson(DateTimeOffset Date, string Machine, string Command, ScaleSettings Settings, IReadOnlyList<ScaleRun> Runs);
