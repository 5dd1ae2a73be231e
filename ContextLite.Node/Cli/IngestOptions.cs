using System.Diagnostics.CodeAnalysis;
using ContextLite.Workspaces;

namespace ContextLite.Node.Cli;

/// <summary>What one <c>ingest</c> run does, validated from the command line.</summary>
/// <param name="Root">The folder to ingest, as a full path.</param>
/// <param name="Workspace">The workspace the documents go to.</param>
/// <param name="Server">The node's base address, ending with '/'.</param>
/// <param name="Includes">Globs a file must match (none: every file).</param>
/// <param name="Excludes">Globs that leave a file out.</param>
/// <param name="MaxFileBytes">Files larger than this are skipped.</param>
/// <param name="BatchSize">Documents per request.</param>
/// <param name="UseGitignore">Whether <c>.gitignore</c> files are honoured.</param>
internal sealed record IngestOptions(
    string Root,
    WorkspaceId Workspace,
    Uri Server,
    IReadOnlyList<string> Includes,
    IReadOnlyList<string> Excludes,
    int MaxFileBytes,
    int BatchSize,
    bool UseGitignore)
{
    /// <summary>Sent as <c>Authorization: Bearer</c> when set (a node with API keys needs a write key).</summary>
    public string? ApiKey { get; init; }

    public const string DefaultServer = "http://127.0.0.1:8080";
    public const string DefaultWorkspace = "default";
    public const int DefaultMaxFileBytes = 1024 * 1024;
    public const int DefaultBatchSize = 100;

    /// <summary>
    /// A batch is cut before its content passes this, far below the node's default 64 MiB body limit, so
    /// one request stays quick to retry and cheap to hold in memory on both sides.
    /// </summary>
    public const int MaxBatchContentBytes = 8 * 1024 * 1024;

    /// <summary>Validates the raw command-line values; <paramref name="error"/> says what to fix.</summary>
    public static bool TryCreate(
        string? directory,
        string? workspace,
        string? server,
        IReadOnlyList<string>? includes,
        IReadOnlyList<string>? excludes,
        int maxFileBytes,
        int batchSize,
        bool useGitignore,
        [NotNullWhen(true)] out IngestOptions? options,
        [NotNullWhen(false)] out string? error)
    {
        options = null;
        if (string.IsNullOrWhiteSpace(directory))
        {
            error = "name the folder to ingest: ingest <dir> [--workspace W] [--server URL]";
            return false;
        }

        if (!Directory.Exists(directory))
        {
            error = File.Exists(directory)
                ? $"'{directory}' is a file; ingest takes a folder."
                : $"the folder '{directory}' does not exist.";
            return false;
        }

        if (!WorkspaceId.TryCreate(workspace, out var workspaceId, out var workspaceError))
        {
            error = $"--workspace '{workspace}' is not a valid workspace id: {workspaceError}";
            return false;
        }

        if (!TryParseServer(server, out var serverUri))
        {
            error = $"--server '{server}' is not an http:// or https:// URL (for example {DefaultServer}).";
            return false;
        }

        if (maxFileBytes < 1 || maxFileBytes >= Array.MaxLength)
        {
            error = $"--max-file-bytes must be from 1 to {Array.MaxLength - 1}; got {maxFileBytes}.";
            return false;
        }

        if (batchSize < 1)
        {
            error = $"--batch-size must be at least 1; got {batchSize}.";
            return false;
        }

        if (!TryCheckGlobs(includes, "--include", out error) || !TryCheckGlobs(excludes, "--exclude", out error))
        {
            return false;
        }

        options = new IngestOptions(
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)),
            workspaceId,
            serverUri,
            includes ?? [],
            excludes ?? [],
            maxFileBytes,
            batchSize,
            useGitignore);
        error = null;
        return true;
    }

    private static bool TryParseServer(string? server, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https")
            || parsed.Query.Length > 0
            || parsed.Fragment.Length > 0)
        {
            return false;
        }

        // A trailing '/' makes the API path resolve under the base instead of replacing its last segment.
        uri = parsed.AbsolutePath.EndsWith('/') ? parsed : new UriBuilder(parsed) { Path = parsed.AbsolutePath + "/" }.Uri;
        return true;
    }

    private static bool TryCheckGlobs(IReadOnlyList<string>? globs, string option, [NotNullWhen(false)] out string? error)
    {
        foreach (var glob in globs ?? [])
        {
            if (string.IsNullOrWhiteSpace(glob))
            {
                error = $"{option} needs a glob such as '**/*.md'; got a blank one.";
                return false;
            }
        }

        error = null;
        return true;
    }
}
