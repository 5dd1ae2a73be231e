using System.CommandLine;
using ContextLite.Node.Configuration;
using ContextLite.Node.Hosting;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Cli;

/// <summary>
/// The node executable's commands: <c>serve</c> (the default), <c>ingest</c>, <c>hash-key</c>, <c>--validate</c>, and the queries
/// <c>assemble</c>, <c>search</c>, <c>workspaces</c> and <c>health</c> (<see cref="QueryCommands"/>).
/// </summary>
internal static class NodeCommandLine
{
    private static readonly Option<string?> s_config = new("--config") { Description = "A cluster.yaml (the seed's schema) layered over appsettings.json." };
    private static readonly Option<int?> s_port = new("--port") { Description = "The HTTP port (0 picks a free one). Env: CONTEXTLITE_PORT." };
    private static readonly Option<string?> s_host = new("--host") { Description = "The address to bind (default 127.0.0.1). Env: CONTEXTLITE_HOST." };
    private static readonly Option<string?> s_nodeId = new("--node-id") { Description = "This node's id. Env: CONTEXTLITE_NODE_ID." };
    private static readonly Option<string?> s_dataDir = new("--data-dir") { Description = "The data directory, one SQLite file per workspace. Env: CONTEXTLITE_DB_PATH." };
    private static readonly Option<string?> s_logLevel = new("--log-level") { Description = "trace, debug, info, warn or error. Env: CONTEXTLITE_LOG_LEVEL." };
    private static readonly Option<bool> s_validate = new("--validate") { Description = "Print the effective configuration and every problem; exit 1 on a problem." };

    public static Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var root = new RootCommand("ContextLite node: stores workspaces and assembles context for AI assistants.");
        var serve = new Command("serve", "Run the node's HTTP API (the default command).");
        foreach (var option in (Option[])[s_config, s_port, s_host, s_nodeId, s_dataDir, s_logLevel, s_validate])
        {
            root.Add(option);
            serve.Add(option);
        }

        root.SetAction((result, ct) => ServeAsync(result, output ?? Console.Out, ct));
        serve.SetAction((result, ct) => ServeAsync(result, output ?? Console.Out, ct));
        root.Add(serve);
        root.Add(IngestCommand.Create(output ?? Console.Out, error ?? Console.Error));
        root.Add(HashKeyCommand.Create(output ?? Console.Out));
        root.Add(VerifyCommand.Create(output ?? Console.Out, error ?? Console.Error));
        foreach (var command in QueryCommands.Create(output ?? Console.Out, error ?? Console.Error))
        {
            root.Add(command);
        }

        var parsed = root.Parse(args);
        return parsed.InvokeAsync(new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error });
    }

    private static async Task<int> ServeAsync(ParseResult result, TextWriter output, CancellationToken cancellationToken)
    {
        var arguments = new NodeArguments(
            result.GetValue(s_config),
            result.GetValue(s_port),
            result.GetValue(s_host),
            result.GetValue(s_nodeId),
            result.GetValue(s_dataDir),
            result.GetValue(s_logLevel));

        if (result.GetValue(s_validate))
        {
            return ConfigurationReport.Write(arguments, output);
        }

        WebApplication app;
        try
        {
            app = NodeApplication.Build(arguments);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration problem: " + ex.Message);
            return 1;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                await Console.Error.WriteLineAsync("Configuration problem: " + string.Join(Environment.NewLine, ex.Failures));
                return 1;
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("embeddings.", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync("Configuration problem: " + ex.Message);
                return 1;
            }
        }

        return 0;
    }
}
