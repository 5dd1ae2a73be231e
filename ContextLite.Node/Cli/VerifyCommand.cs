using System.CommandLine;
using System.Globalization;
using ContextLite.Storage;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Cli;

/// <summary>
/// <c>verify --data-dir &lt;dir&gt; [--workspace &lt;id&gt;] [--repair]</c>: checks every workspace file of a data
/// directory (SQLite integrity, the lexical index, chunks against documents, the vector index) and, with
/// <c>--repair</c>, rebuilds the derived indexes from the documents and checks again.
/// </summary>
/// <remarks>
/// Exit codes: 0 every workspace is clean (after repair, with <c>--repair</c>); 1 a problem remains; 2 the command
/// line is wrong. Run it on a stopped node, or expect <c>--repair</c> to wait for the node's writes.
/// </remarks>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "The node's data directory. Env: CONTEXTLITE_DB_PATH." };
        var workspace = new Option<string?>("--workspace") { Description = "Check only this workspace." };
        var repair = new Option<bool>("--repair") { Description = "Rebuild the lexical index and drop vectors of no chunk; the node re-embeds what is missing." };
        var command = new Command("verify", "Check the data directory's workspaces and optionally rebuild their derived indexes.")
        {
            dataDir, workspace, repair,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(dataDir) ?? Environment.GetEnvironmentVariable("CONTEXTLITE_DB_PATH"),
            result.GetValue(workspace),
            result.GetValue(repair),
            output,
            error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string? dataDirectory, string? only, bool repair, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(dataDirectory) || !Directory.Exists(dataDirectory))
        {
            await error.WriteLineAsync("verify: --data-dir must name an existing data directory");
            return IngestCommand.UsageExitCode;
        }

        using var catalog = new WorkspaceCatalog(
            Options.Create(new StorageOptions { DataDirectory = dataDirectory }),
            Options.Create(new ChunkingOptions()),
            TiktokenCounter.Cl100k,
            TimeProvider.System);
        IReadOnlyList<WorkspaceId> workspaces;
        if (only is null)
        {
            workspaces = catalog.List();
        }
        else if (WorkspaceId.TryCreate(only, out var id, out var invalid) && catalog.Exists(id))
        {
            workspaces = [id];
        }
        else
        {
            await error.WriteLineAsync($"verify: no workspace '{only}' in {dataDirectory}{(invalid is null ? "" : ": " + invalid)}");
            return IngestCommand.UsageExitCode;
        }

        var failed = 0;
        foreach (var workspace in workspaces)
        {
            var store = catalog.TryOpen(workspace)!;
            var problems = await store.VerifyAsync(cancellationToken);
            if (problems.Count > 0 && repair)
            {
                await output.WriteLineAsync($"{workspace.Value}: {problems.Count} problem(s), rebuilding derived indexes");
                await store.RepairDerivedIndexesAsync(cancellationToken);
                problems = await store.VerifyAsync(cancellationToken);
            }

            var (documents, chunks) = store.CountDocumentsAndChunks();
            var (_, embedded) = store.EmbeddingProgress();
            var counts = string.Create(CultureInfo.InvariantCulture, $"{documents} documents, {chunks} chunks, {embedded} embedded");
            if (problems.Count == 0)
            {
                await output.WriteLineAsync($"{workspace.Value}: ok ({counts})");
                continue;
            }

            failed++;
            await output.WriteLineAsync($"{workspace.Value}: {problems.Count} problem(s) ({counts})");
            foreach (var problem in problems)
            {
                await output.WriteLineAsync("  " + problem);
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{workspaces.Count} workspace(s) checked, {failed} with problems"));
        return failed == 0 ? 0 : 1;
    }
}
