using System.Globalization;
using ContextLite.Client.Contracts;

namespace ContextLite.Node.Cli;

/// <summary>The query commands' answers for a person: where each passage comes from, then its text.</summary>
internal static class QueryOutput
{
    public static void Assemble(TextWriter output, AssembleResult r, int maxTokens)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.DocumentCount} passage(s), {r.TotalTokens} of {maxTokens} tokens from workspace '{r.Workspace}' (route {r.Route}, solver {r.Solver.Name} {r.Solver.Status}, node {r.NodeId})"));
        if (r.Documents.Count == 0)
        {
            output.WriteLine("Nothing matched; try other words, or ingest documents into this workspace first.");
        }

        foreach (var d in r.Documents)
        {
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"── {d.Path}:{d.StartLine}-{d.EndLine}  ({d.Tokens} tokens, relevance {d.Relevance:0.###})"));
            WriteBody(output, d.Content);
        }
    }

    public static void Search(TextWriter output, SearchResult r)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Results.Count} result(s) for \"{r.Query}\" in workspace '{r.Workspace}' (route {r.Route}, node {r.NodeId})"));
        var rank = 1;
        foreach (var hit in r.Results)
        {
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rank++,2}. {hit.Path}:{hit.StartLine}-{hit.EndLine}  (score {hit.Score:0.###})"));
            WriteBody(output, hit.Content);
        }
    }

    public static void Workspaces(TextWriter output, WorkspaceList r)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Total} workspace(s) on node {r.NodeId}"));
        foreach (var w in r.Workspaces)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {w.Id,-24} {w.Documents,8} documents {w.Chunks,8} chunks {w.Tokens,10} tokens {w.BytesOnDisk / 1024.0,10:0.0} KiB"));
        }
    }

    public static void Health(TextWriter output, HealthReport r)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Status ?? "unknown"}: {r.NodeId ?? "?"} at {r.Endpoint} (version {r.Version ?? "?"}, up {r.UptimeSeconds ?? 0} s)"));
        if (r.Cluster is { } cluster)
        {
            output.WriteLine("cluster: " + cluster.GetRawText());
        }
    }

    private static void WriteBody(TextWriter output, string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return;
        }

        output.Write(content);
        if (!content.EndsWith('\n'))
        {
            output.WriteLine();
        }
    }
}
