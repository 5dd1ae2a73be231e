using Microsoft.Extensions.FileSystemGlobbing;

namespace ContextLite.Node.Cli;

/// <summary>
/// Lists the files under an ingest root that pass <c>.git</c>, <c>.gitignore</c> and glob filtering,
/// in ordinal order of their relative paths so that every run sends the same batches.
/// </summary>
/// <remarks>
/// Only names are looked at here; content checks (binary, size, empty) happen while reading, so that the
/// walk of a large tree stays cheap and the progress bar knows its total before any file is read.
/// </remarks>
internal sealed class FolderWalker
{
    // Hidden and system entries are wanted (.gitignore, .github); the enumeration default skips them.
    private static readonly EnumerationOptions s_entries = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private readonly string _root;
    private readonly Matcher _globs;
    private readonly bool _useGitignore;

    /// <param name="root">The folder to walk (a full path).</param>
    /// <param name="includes">Globs a file must match; empty means every file.</param>
    /// <param name="excludes">Globs that remove a file.</param>
    /// <param name="useGitignore">Whether <c>.gitignore</c> files are honoured.</param>
    public FolderWalker(string root, IReadOnlyList<string> includes, IReadOnlyList<string> excludes, bool useGitignore)
    {
        _root = root;
        _useGitignore = useGitignore;

        // Globs follow the file system: case-insensitive where file names are.
        _globs = new Matcher(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal);
        if (includes.Count == 0)
        {
            _globs.AddInclude("**/*");
        }

        foreach (var include in includes)
        {
            _globs.AddInclude(include);
        }

        foreach (var exclude in excludes)
        {
            _globs.AddExclude(exclude);
        }
    }

    public FolderScan Walk(CancellationToken cancellationToken)
    {
        var files = new List<FolderFile>();
        var skipped = new IngestSkipCounts();
        var pending = new Stack<(string Path, string RelativePath, FolderIgnoreRules? Rules)>();
        pending.Push((_root, string.Empty, _useGitignore ? FolderIgnoreRules.LoadAncestors(_root) : null));
        while (pending.TryPop(out var folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var rules = _useGitignore ? FolderIgnoreRules.Load(folder.Path, folder.RelativePath, folder.Rules) : null;
                foreach (var entry in new DirectoryInfo(folder.Path).EnumerateFileSystemInfos("*", s_entries))
                {
                    Visit(entry, folder.RelativePath, rules, files, skipped, pending);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                skipped.Add(IngestSkipReason.Unreadable);
            }
        }

        files.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return new FolderScan(files, skipped);
    }

    private void Visit(
        FileSystemInfo entry,
        string parentPath,
        FolderIgnoreRules? rules,
        List<FolderFile> files,
        IngestSkipCounts skipped,
        Stack<(string Path, string RelativePath, FolderIgnoreRules? Rules)> pending)
    {
        // A .git folder is the repository, and a .git file points at one (worktrees, submodules).
        if (entry.Name == ".git")
        {
            return;
        }

        var relative = parentPath.Length == 0 ? entry.Name : parentPath + "/" + entry.Name;
        var isDirectory = entry is DirectoryInfo;
        // The attribute comes with the enumeration; LinkTarget would cost a readlink for every entry.
        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0 && entry.LinkTarget is not null
            && (isDirectory || Directory.Exists(entry.FullName)))
        {
            skipped.Add(IngestSkipReason.SymlinkedFolder);
            return;
        }

        if (rules is not null && rules.IsIgnored(relative, isDirectory))
        {
            skipped.Add(IngestSkipReason.Gitignored);
            return;
        }

        if (isDirectory)
        {
            pending.Push((entry.FullName, relative, rules));
        }
        else if (_globs.Match(_root, relative).HasMatches)
        {
            files.Add(new FolderFile(entry.FullName, relative));
        }
        else
        {
            skipped.Add(IngestSkipReason.ExcludedByGlob);
        }
    }
}
