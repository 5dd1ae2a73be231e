using System.CommandLine;

namespace ContextLite.Node.Cli;

/// <summary><c>ingest &lt;dir&gt;</c>: walks a folder and posts its text files to a node in batches.</summary>
/// <remarks>
/// Exit codes: 0 every file stored; 1 an item failed, the node refused a batch, or it could not be reached;
/// 2 the command line is wrong (checked here, before any request, so a typo costs nothing).
/// </remarks>
internal static class IngestCommand
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = 2;

    public static Command Create(TextWriter output, TextWriter error)
    {
        // Optional to the parser so that a missing folder gets this command's message and exit code 2.
        var directory = new Argument<string?>("dir") { Description = "The folder to ingest.", Arity = ArgumentArity.ZeroOrOne };
        var workspace = new Option<string>("--workspace")
        {
            Description = "The workspace to write to.",
            DefaultValueFactory = _ => IngestOptions.DefaultWorkspace,
        };
        var server = new Option<string>("--server", "--url")
        {
            Description = "The node's base URL.",
            DefaultValueFactory = _ => IngestOptions.DefaultServer,
        };
        var include = new Option<string[]>("--include") { Description = "Only files matching this glob, relative to <dir>, e.g. '**/*.md' (repeatable; default **/*)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out files matching this glob, e.g. 'docs/drafts/**' (repeatable)." };
        var maxFileBytes = new Option<int>("--max-file-bytes")
        {
            Description = "Skip files larger than this many bytes.",
            DefaultValueFactory = _ => IngestOptions.DefaultMaxFileBytes,
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Documents per request (a batch is also cut at 8 MiB of text).",
            DefaultValueFactory = _ => IngestOptions.DefaultBatchSize,
        };
        var apiKey = new Option<string?>("--api-key") { Description = "Sent as Authorization: Bearer (a write key). Env: CONTEXTLITE_API_KEY." };
        var noGitignore = new Option<bool>("--no-gitignore") { Description = "Do not honour .gitignore files (.git is always skipped)." };

        var command = new Command("ingest", "Ingest a folder's text files into a workspace of a running node.")
        {
            directory, workspace, server, include, exclude, maxFileBytes, batchSize, noGitignore, apiKey,
        };
        command.SetAction((result, cancellationToken) =>
        {
            if (!IngestOptions.TryCreate(
                result.GetValue(directory),
                result.GetValue(workspace),
                result.GetValue(server),
                result.GetValue(include),
                result.GetValue(exclude),
                result.GetValue(maxFileBytes),
                result.GetValue(batchSize),
                useGitignore: !result.GetValue(noGitignore),
                out var options,
                out var problem))
            {
                error.WriteLine("ingest: " + problem);
                return Task.FromResult(UsageExitCode);
            }

            options = options with { ApiKey = result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("CONTEXTLITE_API_KEY") };
            var runner = new IngestRunner(options, output, error, IngestProgress.IsInteractive(error), TimeProvider.System);
            return runner.RunAsync(cancellationToken);
        });
        return command;
    }
}
