using System.Globalization;
using System.Text;
using ContextLite.Benchmarks.Corpus;
using ContextLite.Benchmarks.Reporting;
using ContextLite.Embeddings;

namespace ContextLite.Benchmarks.Drain;

/// <summary>The <c>## Ingest with MiniLM while querying</c> section of <c>docs/benchmarks.md</c>.</summary>
internal static class DrainReport
{
    public const string Heading = "## Ingest with MiniLM while querying";

    public static string Build(DrainSettings settings, DrainResult result, (string Before, string After) load, string command, DateTimeOffset when)
    {
        var text = new StringBuilder();
        Line(text, $"- Date: {when:yyyy-MM-dd HH:mm} UTC");
        Line(text, $"- Machine: {MachineInfo.Cores} cores ({MachineInfo.Processor}), {MachineInfo.OperatingSystem}, {MachineInfo.Runtime}, {MachineInfo.Configuration} build; load average {load.Before} before the run, {load.After} after");
        Line(text, $"- Command: `{command}` (ContextLite.Core from commit {MachineInfo.EngineRevision()})");
        Line(text, $"- Corpus: {result.Documents:N0} synthetic documents of the `ingest` benchmark's generator (seed {settings.Seed}; half markdown, half C#-like code, 200 B-20 KB log-uniform, Zipf terms over {SyntheticCorpus.VocabularySize:N0} words), {result.Chunks:N0} chunks of at most 512 cl100k_base tokens, {result.Tokens:N0} tokens");
        Line(text, $"- Method: `WorkspaceStore.UpsertAsync(batch, atomic: false)` in batches of {settings.BatchSize} into a fresh temp directory, no vectors; then the node's background queue, `EmbeddingWorker` with `MiniLmEmbeddingGenerator` ({MiniLmEmbeddingGenerator.ModelName}, {result.Lanes} single-threaded session lanes, inputs cut at 256 model tokens, batches of 32 chunks, one transaction per batch), notified once and run until it is idle with every chunk embedded (its k-means build included when the workspace reaches clustering.min_chunks). Meanwhile one client queries the same workspace back to back, alternating `ContextEngine.AssembleAsync` (auto route, 2,000 tokens, 8 documents) and `RetrieveAsync` (auto route, top 10), over {result.DistinctQueries} queries of 2-4 words drawn from the documents; the generator is shared by the worker and the query embeddings, as in the node. Then the same loop runs {settings.QueriesAfter} more queries after the drain. Model sessions and the query path were warmed up before timing.");
        text.Append('\n');

        Line(text, $"| Measure | Value |");
        Line(text, $"| --- | ---: |");
        Line(text, $"| Ingest, SQLite part (chunk, count, FTS5, no vectors): chunks/s | {result.IngestChunksPerSecond:N0} |");
        Line(text, $"| Ingest, SQLite part: documents/s | {result.IngestDocumentsPerSecond:N0} |");
        Line(text, $"| Ingest, SQLite part: wall time (s) | {result.Ingest.TotalSeconds:F2} |");
        Line(text, $"| **MiniLM embedding rate, until every chunk had a vector: chunks/s** | **{result.EmbedChunksPerSecond:F1}** |");
        Line(text, $"| Time until every chunk had a vector (s) | {result.Embedded.TotalSeconds:F1} |");
        Line(text, $"| Drain wall time, until the worker was idle (s) | {result.Drained.TotalSeconds:F1} |");
        Line(text, $"| Whole drain: chunks/s | {result.DrainChunksPerSecond:F1} |");
        Line(text, $"| Process CPU during the drain (worker and queries, s) | {result.DrainCpu.TotalSeconds:F1} |");
        Line(text, $"| Cores busy on average during the drain | {result.BusyCores:F2} |");
        Line(text, $"| Chunks per process CPU-second (queries' CPU included) | {result.ChunksPerProcessCpuSecond:F1} |");
        Line(text, $"| Chunks per CPU-second of embedding, estimated (each query during the drain charged the CPU a query took after it) | {(result.ChunksPerEmbeddingCpuSecond is { } perCpu ? perCpu.ToString("F1", CultureInfo.InvariantCulture) : "n/a")} |");
        Line(text, $"| IVF clusters built by the worker at the end | {result.Clusters:N0} |");
        text.Append('\n');

        var during = result.Queries.Where(q => q.Phase != DrainPhase.AfterDrain).ToList();
        var after = result.Queries.Where(q => q.Phase == DrainPhase.AfterDrain).ToList();
        Line(text, $"| Queries | Count | Errors | p50 ms | p95 ms | p99 ms | max ms | embed stage p50 / p99 ms | used vectors | top-10 chunks with a vector score | routes |");
        Line(text, $"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var phase in Enum.GetValues<DrainPhase>().Where(p => p != DrainPhase.AfterDrain))
        {
            Row(text, DrainPhases.Describe(phase), [.. during.Where(q => q.Phase == phase)]);
        }

        Row(text, "**whole drain**", during);
        Row(text, "**" + DrainPhases.Describe(DrainPhase.AfterDrain) + "**", after);
        foreach (var kind in new[] { "assemble", "retrieve" })
        {
            Row(text, $"{kind} during the drain", [.. during.Where(q => q.Kind == kind)]);
            Row(text, $"{kind} after the drain", [.. after.Where(q => q.Kind == kind)]);
        }

        text.Append('\n');
        var errors = result.Queries.Where(q => q.Error is not null).ToList();
        var withVectors = LatencyStats.Of(during.Where(q => q.Error is null && q.UsedVectors).Select(q => q.Milliseconds));
        var lexicalOnly = LatencyStats.Of(during.Where(q => q.Error is null && !q.UsedVectors).Select(q => q.Milliseconds));
        var afterDrain = LatencyStats.Of(after.Where(q => q.Error is null).Select(q => q.Milliseconds));
        var embedDuring = LatencyStats.Of(during.Where(q => q.Error is null && q.UsedVectors).Select(q => q.EmbedMilliseconds));
        var embedAfter = LatencyStats.Of(after.Where(q => q.Error is null).Select(q => q.EmbedMilliseconds));
        Line(text, $"{during.Count:N0} queries were answered during the {result.Drained.TotalSeconds:F0} s drain ({during.Count / result.Drained.TotalSeconds:F1}/s, one client) with **{during.Count(q => q.Error is not null)} errors**: {lexicalOnly.Count:N0} lexically before the first vectors (p50 {lexicalOnly.P50:F2} ms), {withVectors.Count:N0} with vectors (p50 {withVectors.P50:F1} ms, p99 {withVectors.P99:F1} ms) against p50 {afterDrain.P50:F1} ms, p99 {afterDrain.P99:F1} ms after the drain. The embed stage alone took p50 {embedDuring.P50:F1} ms in the queries with vectors during the drain, {embedAfter.P50:F1} ms after: the query's own embedding waits for one of the {result.Lanes} session lanes the worker keeps busy with chunks. Latency is whole-query wall time in-process (no HTTP); \"used vectors\" is the share of queries the engine embedded and ran its vector stage for (the rest answered lexically with the note \"no vectors yet\"); a query starts in the quarter given by the chunks embedded at that moment.");
        if (errors.Count > 0)
        {
            Line(text, $"Errors: {string.Join("; ", errors.Select(e => e.Error).Distinct().Take(5))}.");
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, IReadOnlyList<DrainQuery> queries)
    {
        if (queries.Count == 0)
        {
            Line(text, $"| {name} | 0 | 0 | - | - | - | - | - | - | - | - |");
            return;
        }

        var answered = queries.Where(q => q.Error is null).ToList();
        var latency = LatencyStats.Of(answered.Select(q => q.Milliseconds));
        var embed = LatencyStats.Of(answered.Select(q => q.EmbedMilliseconds));
        var errors = queries.Count - answered.Count;
        var used = answered.Count == 0 ? 0 : answered.Count(q => q.UsedVectors) / (double)answered.Count;
        var share = answered.Count == 0 ? 0 : answered.Average(q => q.VectorShare);
        var routes = string.Join(", ", answered.GroupBy(q => q.Route).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}")));
        Line(text, $"| {name} | {queries.Count:N0} | {errors} | {latency.P50:F2} | {latency.P95:F2} | {latency.P99:F2} | {latency.Max:F1} | {embed.P50:F2} / {embed.P99:F2} | {used:P0} | {share:P0} | {routes} |");
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
