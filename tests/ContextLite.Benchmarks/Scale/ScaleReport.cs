using System.Globalization;
using System.Text;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Scale;

/// <summary>The <c>## Scale</c> section of <c>docs/benchmarks.md</c>: one column per corpus size, targets beside.</summary>
internal static class ScaleReport
{
    public const string Heading = "## Scale: 10K to 1M chunks";

    /// <summary>The issue's whole-query assemble p50 targets, by the smallest size they apply to.</summary>
    private static readonly (int Size, double Milliseconds)[] s_targets = [(10_000, 2), (100_000, 5), (1_000_000, 20)];

    public static string Build(ScaleSettings settings, IReadOnlyList<ScaleRun> runs, (string Before, string After) load, string command, DateTimeOffset when)
    {
        var text = new StringBuilder();
        Line(text, $"- Date: {when:yyyy-MM-dd HH:mm} UTC");
        Line(text, $"- Machine: {MachineInfo.Cores} cores ({MachineInfo.Processor}), {MachineInfo.OperatingSystem}, {MachineInfo.Runtime}, {MachineInfo.Configuration} build; load average {load.Before} before, {load.After} after (other engineers' builds shared the machine: times are upper bounds)");
        Line(text, $"- Command: `{command}` (ContextLite.Core from commit {MachineInfo.EngineRevision()})");
        Line(text, $"- Corpus: `ScaleCorpus` (seed {settings.Seed}): one chunk per document, 30–90 words (Zipf s = {ScaleCorpus.ZipfExponent} over 1,000 common words, two words in five from the chunk's topic's own 60), {ScaleCorpus.Topics} topics; 384-d unit vectors = w·(own topic centre) + (1 − w)·(another topic centre) + Gaussian noise (the other topic one of the next 4 in a chain of related topics, w uniform in 0.5–1, σ = {ScaleCorpus.Noise}), brought by the client (no embedder). Queries: {settings.Queries:N0} (after {settings.Warmup:N0} other, unmeasured warm-up queries: a serving node's steady state, pages mapped and term counts cached) of 3–6 words from the same generator with their own vectors.");
        Line(text, $"- Method: in process, no HTTP. `WorkspaceStore.UpsertAsync(batch of {settings.BatchSize:N0}, atomic: false)`; `WorkspaceVectors.Get` loads the index as a node does; `VectorIndex.BuildClusters` (k-means as the indexer runs it, K = ⌈√N⌉, seed 42); `ContextEngine` with default options (adaptive nprobe: at most max(8, ⌈K/2⌉) clusters, nearest first, stopping at the first centroid more than {new ContextLite.Clustering.ClusteringOptions().ProbeGap} × (best − mean centroid similarity) below the best once the probed clusters hold at least {new ContextLite.Clustering.ClusteringOptions().MinProbeVectors:N0} vectors; the lexical stage keeps a query's terms rarest first within {new ContextLite.Search.SearchOptions().LexicalMaxPostings:N0} postings). Assemble: mode auto, {settings.MaxTokens:N0} tokens, ≤ {settings.MaxDocuments} chunks, query vector given; search: `RetrieveAsync` top {ScaleSettings.TopK}. Recall@10 of `SearchIvf` against `SearchExact` on the same queries. RSS = working set after a full GC.");
        text.Append('\n');

        Line(text, "| Measure | " + string.Join(" | ", runs.Select(r => $"N = {r.Size:N0}")) + " |");
        Line(text, "| --- |" + string.Concat(runs.Select(_ => " ---: |")));
        Row(text, runs, "Ingest: chunks/s (SQLite + FTS5, BYO vectors)", r => $"{r.ChunksPerSecond:N0}");
        Row(text, runs, "Ingest: wall time (s)", r => $"{r.IngestSeconds:0.0}");
        Row(text, runs, "On disk: bytes per chunk (db + WAL)", r => $"{r.DiskBytes / (double)r.Chunks:N0}");
        Row(text, runs, "Vector index: load from SQLite (s)", r => $"{r.LoadSeconds:0.0}");
        Row(text, runs, "Vector index: bytes per chunk (estimate)", r => $"{r.IndexBytes / (double)r.Chunks:N0}");
        Row(text, runs, "RSS growth on load: bytes per chunk", r => $"{(r.RssAfterLoad - r.RssBeforeLoad) / (double)r.Chunks:N0}");
        Row(text, runs, "RSS after clusters (MiB)", r => $"{r.RssAfterClusters / 1048576.0:N0}");
        Row(text, runs, "Clusters: K / most probes / mean probes (adaptive)", r => $"{r.K} / {r.NProbe} / {r.Adaptive?.FirstOrDefault(a => a.IsEngine)?.MeanProbes:0.0}");
        Row(text, runs, "Clusters: build time (s)", r => $"{r.ClusterSeconds:0.0}");
        Row(text, runs, "**Assemble p50 (ms)**", r => $"**{r.Assemble.P50:0.00}**");
        Row(text, runs, "Assemble p95 / p99 (ms)", r => $"{r.Assemble.P95:0.00} / {r.Assemble.P99:0.00}");
        Row(text, runs, "Assemble: mean CPU time per query (ms; waiting for a core excluded)", r => $"{r.AssembleCpuMilliseconds:0.00}");
        Row(text, runs, "Target p50 (issue 6)", r => Target(r.Size) is { } t ? $"≤ {t:0} ms: {(r.Assemble.P50 <= t ? "met" : "**missed**")}" : "–");
        Row(text, runs, "Search p50 / p95 / p99 (ms)", r => $"{r.Search.P50:0.00} / {r.Search.P95:0.00} / {r.Search.P99:0.00}");
        Row(text, runs, "Routes taken (assemble)", r => string.Join(", ", r.Routes.OrderByDescending(x => x.Value).Select(x => $"{x.Key} {x.Value}")));
        Row(text, runs, "IVF recall@10 as the engine probes", r => $"{r.Product.Recall:0.000}");
        Row(text, runs, "IVF search alone, as the engine probes (ms)", r => $"{r.Product.Milliseconds:0.000}");
        Row(text, runs, "Exact scan (ms)", r => $"{r.ExactMilliseconds:0.000}");
        Row(text, runs, "Speed-up of IVF over the exact scan", r => $"{r.ExactMilliseconds / r.Product.Milliseconds:0.0}×");
        text.Append('\n');

        Line(text, "Per stage (the engine's own timings of the assemble calls), p50 / p95 / p99 in ms:");
        text.Append('\n');
        Line(text, "| Stage | " + string.Join(" | ", runs.Select(r => $"N = {r.Size:N0}")) + " |");
        Line(text, "| --- |" + string.Concat(runs.Select(_ => " ---: |")));
        foreach (var stage in runs.SelectMany(r => r.Stages.Keys).Distinct(StringComparer.Ordinal))
        {
            Row(text, runs, stage, r => r.Stages.TryGetValue(stage, out var p) ? $"{p.P50:0.000} / {p.P95:0.000} / {p.P99:0.000}" : "–");
        }

        text.Append('\n');
        Growth(text, runs);
        foreach (var run in runs)
        {
            Probes(text, run);
        }

        return text.ToString();
    }

    /// <summary>Least-squares slope of ln(y) against ln(N): latency grows as N^slope.</summary>
    public static double LogLogSlope(IReadOnlyList<(double N, double Y)> points)
    {
        var xs = points.Select(p => Math.Log(p.N)).ToArray();
        var ys = points.Select(p => Math.Log(p.Y)).ToArray();
        double mx = xs.Average(), my = ys.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }

        return sxx == 0 ? double.NaN : sxy / sxx;
    }

    private static void Growth(StringBuilder text, IReadOnlyList<ScaleRun> runs)
    {
        if (runs.Count < 2)
        {
            return;
        }

        string Slope(Func<ScaleRun, double> y) =>
            LogLogSlope([.. runs.Select(r => ((double)r.Size, Math.Max(y(r), 1e-6)))]).ToString("0.00", CultureInfo.InvariantCulture);

        Line(text, $"How cost grows (least-squares slope of ln latency on ln N over the {runs.Count} sizes; the seed claims O(√N), a slope of 0.50): "
            + $"assemble p50 N^{Slope(r => r.Assemble.P50)}, assemble p99 N^{Slope(r => r.Assemble.P99)}, search p50 N^{Slope(r => r.Search.P50)}, "
            + $"lexical stage p50 N^{Slope(r => r.Stages.GetValueOrDefault("lexical")?.P50 ?? 0)}, vector stage p50 N^{Slope(r => r.Stages.GetValueOrDefault("vector")?.P50 ?? 0)}, "
            + $"IVF search alone N^{Slope(r => r.Product.Milliseconds)}, exact scan N^{Slope(r => r.ExactMilliseconds)}.");
        text.Append('\n');
    }

    private static void Probes(StringBuilder text, ScaleRun run)
    {
        Line(text, $"IVF versus nprobe at N = {run.Size:N0} (K = {run.K}; exact scan {run.ExactMilliseconds:0.000} ms a query){(run.Faiss is { } f ? $"; FAISS {f.Version} IVF-Flat with our centroids as its coarse quantizer, one thread, one query per call" : string.Empty)}:");
        text.Append('\n');
        var faiss = run.Faiss?.Probes.ToDictionary(p => p.NProbe);
        Line(text, faiss is null
            ? "| nprobe | Recall@10 | ms / query |"
            : "| nprobe | Recall@10 | ms / query | FAISS recall@10 | FAISS ms / query | ours / FAISS time |");
        Line(text, faiss is null ? "| ---: | ---: | ---: |" : "| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in run.Probes)
        {
            var mark = row.NProbe == run.NProbe ? " (engine's most)" : string.Empty;
            var ours = $"| {row.NProbe}{mark} | {row.Recall:0.000} | {row.Milliseconds:0.000} |";
            Line(text, faiss is not null && faiss.TryGetValue(row.NProbe, out var peer)
                ? $"{ours} {peer.Recall:0.000} | {peer.Milliseconds:0.000} | {row.Milliseconds / peer.Milliseconds:0.00}× |"
                : ours);
        }

        text.Append('\n');
        if (run.Adaptive is { Count: > 0 } adaptive)
        {
            Line(text, $"Adaptive nprobe at N = {run.Size:N0} (`SearchIvf` with a probe gap: probe nearest centroid first, at most {adaptive[0].MaxProbes}, stop at the first centroid more than gap × (best − mean centroid score) below the best, once the probed clusters hold at least the floor's vectors):");
            text.Append('\n');
            Line(text, "| gap | vector floor | mean probes | Recall@10 | ms / query |");
            Line(text, "| ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in adaptive.DistinctBy(r => (r.Gap, r.MinVectors)))
            {
                Line(text, $"| {row.Gap:0.00}{(row.IsEngine ? " (engine)" : string.Empty)} | {row.MinVectors:N0} | {row.MeanProbes:0.0} | {row.Recall:0.000} | {row.Milliseconds:0.000} |");
            }

            text.Append('\n');
        }
    }

    private static double? Target(int size) => s_targets.Where(t => size <= t.Size).Select(t => (double?)t.Milliseconds).FirstOrDefault();

    private static void Row(StringBuilder text, IReadOnlyList<ScaleRun> runs, string name, Func<ScaleRun, string> cell) =>
        Line(text, $"| {name} | {string.Join(" | ", runs.Select(cell))} |");

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
