using System.Globalization;
using System.Text;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Clustering;

/// <summary>The <c>## Cluster rebuilds (k-means) and IVF recall</c> section of <c>docs/benchmarks.md</c>.</summary>
internal static class ClusteringReport
{
    public const string Heading = "## Cluster rebuilds (k-means) and IVF recall";

    public static string Build(int dimension, int seed, IReadOnlyList<KMeansRun> runs, IvfRecall? recall, string command, DateTimeOffset when)
    {
        var text = new StringBuilder();
        Line(text, $"- Date: {when:yyyy-MM-dd HH:mm} UTC");
        Line(text, $"- Machine: {MachineInfo.Cores} cores ({MachineInfo.Processor}), {MachineInfo.OperatingSystem}, {MachineInfo.Runtime}, {MachineInfo.Configuration} build; load average {MachineInfo.LoadAverage()} after the runs (other engineers' builds shared the machine: times are upper bounds)");
        Line(text, $"- Command: `{command}`");
        Line(text, $"- k-means as the indexer runs it (`KMeans.Fit` with default options, seed {seed}): K = ⌈√N⌉, k-means++ seeding, Lloyd up to 50,000 vectors, above that mini-batch (batches of 4,096, k-means++ on a sample, stop on a flat smoothed inertia or 25 steps) then a full assignment and up to 3 full Lloyd steps; one thread. Data: N synthetic {dimension}-d unit vectors around {KMeansBenchmark.NaturalClusters} random centres (cosine to their centre ≈ 0.65). Time is `KMeans.Fit` alone (the vectors are in memory, as after the pull from a node).");
        text.Append('\n');
        Line(text, $"| N | K | Mode | Iterations | Converged | Mean 1 − cos | Time (s) | Vectors in memory | Peak working set |");
        Line(text, $"| ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var run in runs)
        {
            Line(text, $"| {run.N:N0} | {run.K:N0} | {run.Mode} | {run.Iterations} | {(run.Converged ? "yes" : "cap")} | {run.MeanCost:0.0000} | {run.Seconds:0.00} | {run.DataBytes / 1048576.0:N0} MiB | {run.PeakWorkingSet / 1048576.0:N0} MiB |");
        }

        if (recall is not null)
        {
            text.Append('\n');
            Line(text, $"IVF recall@10 against the exact scan on SciFact's all-MiniLM-L6-v2 vectors ({recall.Vectors:N0} abstracts, {recall.Queries} claims as queries), lists built by the same k-means (K = {recall.K}; seed {seed}). The exact scan takes {recall.ExactMillisecondsPerQuery:0.000} ms a query here. For comparison, `../shared/data/README.md` measured FAISS IVF-Flat and pgvector ivfflat with 72 lists and 16 probes at recall@10 0.948 and 0.952.");
            text.Append('\n');
            Line(text, $"| nprobe | Recall@10 | ms / query | FAISS IVF-Flat (72 lists) | pgvector ivfflat (72 lists) |");
            Line(text, $"| ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in recall.Rows)
            {
                var faiss = row.NProbe == 16 ? "0.948" : "";
                var pgvector = row.NProbe == 16 ? "0.952" : "";
                Line(text, $"| {row.NProbe} | {row.Recall:0.000} | {row.MillisecondsPerQuery:0.000} | {faiss} | {pgvector} |");
            }
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
