using System.Globalization;
using System.Text;

namespace ContextLite.Benchmarks.Soak;

/// <summary>The soak's figures as a markdown block: throughput, latency percentiles, errors, RSS and GC-heap trends per node, and quotas.</summary>
internal static class SoakReport
{
    /// <summary>What a successful search is charged: k (5) × quotas.search_tokens_per_result (50).</summary>
    private const long SearchTokens = 5 * 50;

    public static (string Text, bool Passed) Build(SoakSettings settings, IReadOnlyCollection<SoakOperation> operations, IReadOnlyList<MemorySample> memory, string command)
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
        foreach (var process in memory.GroupBy(m => m.Process))
        {
            var samples = process.ToList();
            if (samples.Count < 3)
            {
                continue;
            }

            var secondHalf = samples.Skip(samples.Count / 2).ToList();
            var rssSlope = Slope(secondHalf, m => m.RssMb);
            memoryFlat &= rssSlope < settings.MaxRssSlope;
            Line(text, $"RSS of {process.Key}: first {samples[0].RssMb:F0} MB, last {samples[^1].RssMb:F0} MB, max {samples.Max(m => m.RssMb):F0} MB over {samples.Count} samples; "
                + $"linear fit **{Slope(samples, m => m.RssMb):F2} MB/min** over the run, **{rssSlope:F2} MB/min** over its second half (flat: < {settings.MaxRssSlope:F1} MB/min).");
            if (samples.All(m => m.ManagedHeapMb is not null))
            {
                Line(text, $"GC heap of {process.Key}: first {samples[0].ManagedHeapMb:F0} MB, last {samples[^1].ManagedHeapMb:F0} MB, max {samples.Max(m => m.ManagedHeapMb!.Value):F0} MB; "
                    + $"fit **{Slope(samples, m => m.ManagedHeapMb!.Value):F2} MB/min** over the run, **{Slope(secondHalf, m => m.ManagedHeapMb!.Value):F2} MB/min** over its second half; "
                    + $"GC committed {samples[0].GcCommittedMb:F0} → {samples[^1].GcCommittedMb:F0} MB; "
                    + $"native (RSS − GC committed) {samples[0].RssMb - samples[0].GcCommittedMb!.Value:F0} → {samples[^1].RssMb - samples[^1].GcCommittedMb!.Value:F0} MB, "
                    + $"second-half fit **{Slope(secondHalf, m => m.RssMb - m.GcCommittedMb!.Value):F2} MB/min**.");
                Line(text, "GC heap samples (MB): " + string.Join(" ", samples.Select(m => m.ManagedHeapMb!.Value.ToString("F0", CultureInfo.InvariantCulture))));
            }

            Line(text, "RSS samples (MB): " + string.Join(" ", samples.Select(m => m.RssMb.ToString("F0", CultureInfo.InvariantCulture))));
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

    /// <summary>Least-squares slope of a memory figure against time, in MB per minute.</summary>
    private static double Slope(IReadOnlyList<MemorySample> samples, Func<MemorySample, double> figure)
    {
        var xs = samples.Select(s => s.At.TotalMinutes).ToArray();
        var ys = samples.Select(figure).ToArray();
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        return sxx == 0 ? 0 : xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / sxx;
    }

    private static void Line(StringBuilder text, string line) => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
