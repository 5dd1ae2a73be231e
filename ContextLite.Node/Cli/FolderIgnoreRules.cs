using MAB.DotIgnore;

namespace ContextLite.Node.Cli;

/// <summary>The <c>.gitignore</c> rules in force in one folder: its own file's and every ancestor's up to the ingest root.</summary>
/// <remarks>
/// Git's precedence: a file's rules apply to paths relative to the folder that holds it; a deeper file
/// overrides a shallower one; within a file the last matching line wins, and a <c>!</c> line re-includes.
/// <see cref="IgnoreList.IsIgnored(string, bool)"/> only answers for one file's rules and cannot say "no rule
/// matched", so the levels are evaluated here rule by rule, deepest first. A re-include cannot rescue a
/// path under an ignored folder, as in git, because the walker never enters ignored folders.
/// </remarks>
internal sealed class FolderIgnoreRules
{
    private const string FileName = ".gitignore";

    private readonly FolderIgnoreRules? _parent;
    private readonly string _basePath;
    private readonly string? _rootPrefix;
    private readonly IReadOnlyList<IgnoreRule> _rules;

    private FolderIgnoreRules(FolderIgnoreRules? parent, string basePath, IReadOnlyList<IgnoreRule> rules, string? rootPrefix = null)
    {
        _parent = parent;
        _basePath = basePath;
        _rules = rules;
        _rootPrefix = rootPrefix;
    }

    /// <summary>
    /// The rules of the <c>.gitignore</c> files above <paramref name="root"/> up to its git repository's top
    /// (the nearest folder holding <c>.git</c>), as git applies them when the ingest root is a subfolder; none
    /// when the root is not inside a repository.
    /// </summary>
    public static FolderIgnoreRules? LoadAncestors(string root)
    {
        var chain = new List<DirectoryInfo>();
        for (var folder = new DirectoryInfo(root).Parent; folder is not null; folder = folder.Parent)
        {
            chain.Add(folder);
            if (Directory.Exists(Path.Combine(folder.FullName, ".git")) || File.Exists(Path.Combine(folder.FullName, ".git")))
            {
                FolderIgnoreRules? rules = null;
                for (var i = chain.Count - 1; i >= 0; i--)
                {
                    var prefix = Path.GetRelativePath(chain[i].FullName, root).Replace('\\', '/');
                    var lines = ReadPatterns(Path.Combine(chain[i].FullName, FileName));
                    if (lines.Count > 0)
                    {
                        rules = new FolderIgnoreRules(rules, string.Empty, new IgnoreList(lines).Rules, prefix);
                    }
                }

                return rules;
            }
        }

        return null;
    }

    /// <summary>
    /// The rules for <paramref name="folderPath"/>: <paramref name="parent"/> plus the folder's own
    /// <c>.gitignore</c> if it has one with at least one rule.
    /// </summary>
    /// <param name="folderPath">The folder on disk.</param>
    /// <param name="relativePath">The folder under the ingest root, forward slashes, empty for the root.</param>
    /// <param name="parent">The rules in force in the parent folder, or null.</param>
    public static FolderIgnoreRules? Load(string folderPath, string relativePath, FolderIgnoreRules? parent)
    {
        var file = Path.Combine(folderPath, FileName);
        if (!File.Exists(file))
        {
            return parent;
        }

        var lines = ReadPatterns(file);
        return lines.Count == 0 ? parent : new FolderIgnoreRules(parent, relativePath, new IgnoreList(lines).Rules);
    }

    private static List<string> ReadPatterns(string file)
    {
        var lines = new List<string>();
        if (!File.Exists(file))
        {
            return lines;
        }

        foreach (var line in File.ReadLines(file))
        {
            // Git ignores trailing spaces; IgnoreList throws on a line that is only white space.
            var pattern = line.TrimEnd();
            if (pattern.Length > 0 && pattern[0] != '#')
            {
                lines.Add(pattern);
            }
        }

        return lines;
    }

    /// <summary>Whether git would ignore <paramref name="relativePath"/> (under the ingest root, forward slashes).</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        for (var level = this; level is not null; level = level._parent)
        {
            var local = level._rootPrefix is { } prefix
                ? relativePath.Length == 0 ? prefix : prefix + "/" + relativePath
                : level._basePath.Length == 0 ? relativePath : relativePath[(level._basePath.Length + 1)..];
            for (var i = level._rules.Count - 1; i >= 0; i--)
            {
                var rule = level._rules[i];
                if (rule.IsMatch(local, isDirectory))
                {
                    return (rule.PatternFlags & PatternFlags.NEGATION) == 0;
                }
            }
        }

        return false;
    }
}
