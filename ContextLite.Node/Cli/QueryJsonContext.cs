using System.Text.Json.Serialization;
using ContextLite.Client.Contracts;

namespace ContextLite.Node.Cli;

/// <summary>The query commands' <c>--json</c> output; the options (snake_case, indented) are set in <see cref="QueryCommands"/>.</summary>
[JsonSerializable(typeof(AssembleResult))]
[JsonSerializable(typeof(SearchResult))]
[JsonSerializable(typeof(WorkspaceList))]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class QueryJsonContext : JsonSerializerContext;
