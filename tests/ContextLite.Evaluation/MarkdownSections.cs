namespace ContextLite.Evaluation;

/// <summary>Replaces one <c>## heading</c> section of a markdown file, creating the file or section if missing.</summary>
internal static class MarkdownSections
{
    public static void Replace(string path, string title, string heading, string body)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : [title, string.Empty];
        var start = lines.FindIndex(l => l.Trim() == heading);
        var section = new List<string> { heading, string.Empty };
        section.AddRange(body.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')));
        section.Add(string.Empty);
        if (start < 0)
        {
            if (lines.Count > 0 && lines[^1].Length > 0)
            {
                lines.Add(string.Empty);
            }

            lines.AddRange(section);
        }
        else
        {
            var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
            lines.RemoveRange(start, (end < 0 ? lines.Count : end) - start);
            lines.InsertRange(start, section);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllLines(path, lines);
    }
}
