using System.Globalization;
using System.Text;
using ContextLite.Node.Api;

namespace ContextLite.Node.Mcp;

/// <summary>The tools' answers as a model reads them: where each passage comes from (path and lines), then its text.</summary>
internal static class ToolText
{
    public static string Assemble(AssembleResponse r)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Context for \"{r.Query}\" from workspace '{r.Workspace}': {r.DocumentCount} passage(s), {r.TotalTokens} of {r.Limits.MaxTokensApplied} tokens ");
        text.Append(CultureInfo.InvariantCulture, $"(route {r.Route}, solver {r.Solver.Name} {r.Solver.Status}).\n");
        if (r.Documents.Count == 0)
        {
            text.Append("Nothing in the workspace matches; try other words, or add documents.\n");
        }

        foreach (var d in r.Documents)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {d.Path} (lines {d.StartLine}-{d.EndLine}, {d.Tokens} tokens, relevance {d.Relevance:0.###})\n");
            AppendFenced(text, d.Content ?? string.Empty);
        }

        return text.ToString();
    }

    public static string Search(SearchResponse r)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{r.Results.Count} result(s) for \"{r.Query}\" in workspace '{r.Workspace}' (route {r.Route}).\n");
        var rank = 1;
        foreach (var hit in r.Results)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{rank++}. {hit.Path} (lines {hit.StartLine}-{hit.EndLine}, score {hit.Score:0.###})\n");
            AppendFenced(text, hit.Content ?? string.Empty);
        }

        return text.ToString();
    }

    public static string Added(BatchWriteResponse r)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Workspace '{r.Workspace}': {r.Added} added, {r.Updated} updated, {r.Unchanged} unchanged, {r.Errors} failed.\n");
        foreach (var item in r.Results)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {item.Path ?? item.Id ?? $"[{item.Index}]"}: {item.Status}");
            text.Append(item.Error is null ? "\n" : $" ({item.Error})\n");
        }

        return text.ToString();
    }

    public static string Workspaces(WorkspaceListResponse r)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Node {r.NodeId} holds {r.Total} workspace(s).\n");
        foreach (var w in r.Workspaces)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {w.Id}: {w.Documents} documents, {w.Chunks} chunks, {w.Tokens} tokens\n");
        }

        return text.ToString();
    }

    // A fence longer than any backtick run in the text, so code that contains fences stays one block.
    private static void AppendFenced(StringBuilder text, string content)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        text.Append(fence).Append('\n').Append(content);
        if (!content.EndsWith('\n'))
        {
            text.Append('\n');
        }

        text.Append(fence).Append('\n');
    }
}
