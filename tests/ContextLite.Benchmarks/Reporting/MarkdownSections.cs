using System.Text;

namespace ContextLite.Benchmarks.Reporting;

/// <summary>
/// Keeps a markdown file of benchmark results in which each benchmark owns one <c>## </c> section:
/// writing a section replaces only that section (up to the next <c>## </c> heading) and keeps the rest.
/// </summary>
internal static class MarkdownSections
{
    private const string Header = """
        # Benchmarks

        Measured numbers for ContextLite, each section written by the benchmark it names in
        `tests/ContextLite.Benchmarks`. Re-running a benchmark replaces only its own section.

        """;

    /// <summary>Writes <paramref name="body"/> under <paramref name="heading"/> (e.g. <c>## Bulk ingest</c>).</summary>
    public static void Write(string path, string heading, string body)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : Header;
        var updated = Replace(existing.ReplaceLineEndings("\n"), heading, body);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, updated, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The document with <paramref name="heading"/>'s section replaced, or appended when absent.</summary>
    public static string Replace(string document, string heading, string body)
    {
        var section = heading + "\n\n" + body.TrimEnd('\n') + "\n";
        var lines = document.Split('\n').ToList();
        var start = lines.FindIndex(l => l.TrimEnd() == heading);
        if (start < 0)
        {
            return document.TrimEnd('\n') + "\n\n" + section;
        }

        var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        var before = string.Join('\n', lines.Take(start)).TrimEnd('\n');
        var after = end < 0 ? string.Empty : string.Join('\n', lines.Skip(end)).TrimEnd('\n');
        var result = new StringBuilder();
        if (before.Length > 0)
        {
            result.Append(before).Append("\n\n");
        }

        result.Append(section);
        if (after.Length > 0)
        {
            result.Append('\n').Append(after).Append('\n');
        }

        return result.ToString();
    }
}
