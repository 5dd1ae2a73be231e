using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContextLite.Client;
using ContextLite.Client.Contracts;

namespace ContextLite.Node.Cli;

/// <summary>
/// <c>assemble</c>, <c>search</c>, <c>workspaces</c> and <c>health</c> against a running node or the gateway, through
/// <see cref="ContextLiteClient"/>: <c>--url</c> (repeatable, tried in order) or discovery on localhost 8080–8090.
/// </summary>
/// <remarks>Exit codes: 0 answered; 1 refused or unreachable (the problem's detail is printed); 2 a wrong command line.</remarks>
internal static class QueryCommands
{
    // Code and prose print as they are: '<', '>' and quotes are not escaped for a terminal.
    private static readonly QueryJsonContext s_json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        var connection = new Connection();

        var query = new Argument<string>("query") { Description = "The question, in quotes." };
        var maxTokens = new Option<int>("--max-tokens") { Description = "The token budget for all passages.", DefaultValueFactory = _ => 4000 };
        var maxDocuments = new Option<int>("--max-documents") { Description = "At most this many passages.", DefaultValueFactory = _ => 10 };
        var mode = new Option<string?>("--mode") { Description = "auto (default), lexical, semantic or hybrid." };
        var assemble = connection.AddTo(new Command("assemble", "Print the context ContextLite assembles for a question.") { query, maxTokens, maxDocuments, mode });
        assemble.SetAction((result, ct) => RunAsync(result, connection, output, error, async (client, json) =>
        {
            var tokens = result.GetValue(maxTokens);
            var answer = await client.AssembleAsync(
                result.GetValue(query)!,
                new AssembleOptions { MaxTokens = tokens, MaxDocuments = result.GetValue(maxDocuments), Mode = result.GetValue(mode) },
                ct);
            Write(output, json, answer, s_json.AssembleResult, r => QueryOutput.Assemble(output, r, tokens));
        }));

        var searchQuery = new Argument<string>("query") { Description = "What to look for, in quotes." };
        var maxResults = new Option<int>("--max-results", "-k") { Description = "How many chunks.", DefaultValueFactory = _ => 10 };
        var searchMode = new Option<string?>("--mode") { Description = "auto (default), lexical, semantic or hybrid." };
        var search = connection.AddTo(new Command("search", "Print the ranked chunks for a query.") { searchQuery, maxResults, searchMode });
        search.SetAction((result, ct) => RunAsync(result, connection, output, error, async (client, json) =>
        {
            var answer = await client.SearchAsync(
                result.GetValue(searchQuery)!, new SearchOptions { MaxResults = result.GetValue(maxResults), Mode = result.GetValue(searchMode) }, ct);
            Write(output, json, answer, s_json.SearchResult, r => QueryOutput.Search(output, r));
        }));

        var workspaces = connection.AddTo(new Command("workspaces", "List the workspaces of the node that answers."));
        workspaces.SetAction((result, ct) => RunAsync(result, connection, output, error, async (client, json) =>
            Write(output, json, await client.ListWorkspacesAsync(ct), s_json.WorkspaceList, r => QueryOutput.Workspaces(output, r))));

        var health = connection.AddTo(new Command("health", "Print the health of the node or gateway that answers."));
        health.SetAction((result, ct) => RunAsync(result, connection, output, error, async (client, json) =>
            Write(output, json, await client.HealthAsync(ct), s_json.HealthReport, r => QueryOutput.Health(output, r))));

        return [assemble, search, workspaces, health];
    }

    private static void Write<T>(TextWriter output, bool json, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, Action<T> readable)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(value, info));
        }
        else
        {
            readable(value);
        }
    }

    private static async Task<int> RunAsync(
        ParseResult result, Connection connection, TextWriter output, TextWriter error, Func<ContextLiteClient, bool, Task> run)
    {
        var command = result.CommandResult.Command.Name;
        if (!connection.TryCreateOptions(result, out var options, out var problem))
        {
            await error.WriteLineAsync($"{command}: {problem}");
            return IngestCommand.UsageExitCode;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var client = new ContextLiteClient(http, options);
        try
        {
            await run(client, result.GetValue(connection.Json));
            return 0;
        }
        catch (ContextLiteException ex)
        {
            await error.WriteLineAsync($"{command}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The options every query command shares: where to connect, as whom, and how to print.</summary>
    private sealed class Connection
    {
        public Option<string[]> Urls { get; } = new("--url")
        {
            Description = "A node or gateway base URL, e.g. http://localhost:8000 (repeatable: tried in order). Default: discover nodes on localhost:8080-8090.",
        };

        public Option<string?> Workspace { get; } = new("--workspace", "-w") { Description = "The workspace (sent as X-Workspace-ID); the server's default when left out." };

        public Option<string?> ApiKey { get; } = new("--api-key") { Description = "Sent as Authorization: Bearer. Env: CONTEXTLITE_API_KEY." };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the answer as JSON." };

        public Command AddTo(Command command)
        {
            command.Add(Urls);
            command.Add(Workspace);
            command.Add(ApiKey);
            command.Add(Json);
            return command;
        }

        public bool TryCreateOptions(ParseResult result, out ContextLiteClientOptions options, out string? problem)
        {
            options = new ContextLiteClientOptions
            {
                Workspace = result.GetValue(Workspace),
                ApiKey = result.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("CONTEXTLITE_API_KEY"),
            };
            foreach (var url in result.GetValue(Urls) ?? [])
            {
                if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    problem = $"--url '{url}' is not an http(s) URL like http://localhost:8080.";
                    return false;
                }

                options.Endpoints.Add(uri);
            }

            problem = null;
            return true;
        }
    }
}
