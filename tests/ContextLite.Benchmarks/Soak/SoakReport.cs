using System.Globalization;
using System.Text;

namespace ContextLite.Benchmarks.Soak;

/// <summary>The soak's figures as a markdown block: throughput, latency percentiles, errors, RSS trend and quotas.</summary>
internal static class SoakReport
{
    /// <summary>What a successful search is charged: k (5) × quotas.search_tokens_per_result (50).</summary>
    private const long SearchTokens = 5 * 50;

    public static (string Text, bool Passed) Build(SoakSettings settings, IReadOnlyCollection<SoakOperation> operations, IReadOnlyList<(TimeSpan At, double RssMb)> rss, string command)
    {
        var text = new StringBuilder();
        var seconds = settings.Duration.TotalSeconds;
        var errors = operations.Count(o => o.Status is 0 or >= 500);
        var throttled = operations.Count(o => o.Status == 429);
        var rejected = operations.Count(o => o.Status is >= 400 and < 500 and not 429);
        Line(text, $"Command: `{command}`");
        Line(text, $"{operations.Count} requests in {seconds:F0} s = **{operations.Count / seconds:F1} req/s** over {settings.Workspaces} workspaces, {settings.Concurrency} clients; "
            + $"**{errors} errors** (5xx or no answer), {throttled} throttled (429), {rejected} other 4xx.");
        Line(text, "");
        Line(text, "| operation | requests | req/s | p50 ms | p99 ms | max ms |");
        Line(text, "|---|---|---|---|---|---|");
        foreach (var group in operations.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Append(null))
        {
            var items = group?.ToList() ?? [.. operations];
            var latencies = items.Select(o => o.Milliseconds).Order().ToArray();
            Line(text, $"| {group?.Key ?? "all"} | {items.Count} | {items.Count / seconds:F1} | {Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.99):F1} | {latencies.LastOrDefault():F1} |");
        }

        Line(text, "");
        var memoryFlat = true;
        if (rss.Count >= 3)
        {
            var slope = Slope(rss);
            var secondHalf = Slope(rss.Skip(rss.Count / 2).ToList());
            memoryFlat = secondHalf < 1.0;
            Line(text, $"RSS of pid {settings.Pid}: first {rss[0].RssMb:F0} MB, last {rss[^1].RssMb:F0} MB, max {rss.Max(s => s.RssMb):F0} MB over {rss.Count} samples; "
                + $"linear fit **{slope:F2} MB/min** over the run, **{secondHalf:F2} MB/min** over its second half (flat: < 1 MB/min).");
            Line(text, "RSS samples (MB): " + string.Join(" ", rss.Select(s => s.RssMb.ToString("F0", CultureInfo.InvariantCulture))));
        }

        var quotasHold = true;
        if (settings.TokensPerMinute > 0)
        {
            // A token bucket of capacity L refilling L a minute can grant at most L × (minutes + 1) over a run.
            var bound = settings.TokensPerMinute * (settings.Duration.TotalMinutes + 1);
            var worst = operations.Where(o => o.Status == 200 && o.Kind != "ingest")
                .GroupBy(o => o.Workspace)
                .Select(g => (Workspace: g.Key, Tokens: g.Sum(o => o.Kind == "assemble" ? o.Tokens : SearchTokens)))
                .OrderByDescending(w => w.Tokens)
                .FirstOrDefault();
            quotasHold = worst.Tokens <= bound;
            Line(text, $"Quotas: the busiest workspace ({worst.Workspace}) was served {worst.Tokens} tokens; the bound for {settings.TokensPerMinute} tokens/min "
                + $"over {settings.Duration.TotalMinutes:F1} min is {bound:F0}: **{(quotasHold ? "held" : "EXCEEDED")}**.");
        }

        return (text.ToString(), errors == 0 && memoryFlat && quotasHold);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Least-squares slope of RSS against time, in MB per minute.</summary>
    private static double Slope(IReadOnlyList<(TimeSpan At, double RssMb)> samples)
    {
        var xs = samples.Select(s => s.At.TotalMinutes).ToArray();
        var ys = samples.Select(s => s.RssMb).ToArray();
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        return sxx == 0 ? 0 : xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / sxx;
    }

    private static void Line(StringBuilder text, string line) => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
