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
    private readonly IReadOnlyList<IgnoreRule> _rules;

    private FolderIgnoreRules(FolderIgnoreRules? parent, string basePath, IReadOnlyList<IgnoreRule> rules)
    {
        _parent = parent;
        _basePath = basePath;
        _rules = rules;
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

        var lines = new List<string>();
        foreach (var line in File.ReadLines(file))
        {
            // Git ignores trailing spaces; IgnoreList throws on a line that is only white space.
            var pattern = line.TrimEnd();
            if (pattern.Length > 0 && pattern[0] != '#')
            {
                lines.Add(pattern);
            }
        }

        return lines.Count == 0 ? parent : new FolderIgnoreRules(parent, relativePath, new IgnoreList(lines).Rules);
    }

    /// <summary>Whether git would ignore <paramref name="relativePath"/> (under the ingest root, forward slashes).</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        for (var level = this; level is not null; level = level._parent)
        {
            var local = level._basePath.Length == 0 ? relativePath : relativePath[(level._basePath.Length + 1)..];
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
