using System.Globalization;
using System.Text;
using ContextLite.Benchmarks.Corpus;
using ContextLite.Benchmarks.Ingest;
using ContextLite.Storage;

namespace ContextLite.Benchmarks.Reporting;

/// <summary>The <c>## Bulk ingest</c> section of <c>docs/benchmarks.md</c>.</summary>
internal static class IngestReport
{
    public const string Heading = "## Bulk ingest";

    /// <summary>The section for a run over a retrieval collection, e.g. <c>## Bulk ingest (scifact)</c>.</summary>
    public static string HeadingFor(IngestSettings settings) =>
        settings.Dataset is { } dataset ? $"{Heading} ({new DirectoryInfo(dataset).Name})" : Heading;

    public static string Build(
        IngestSettings settings,
        IReadOnlyList<DocumentInput> corpus,
        IngestRun firstPass,
        IReadOnlyList<IngestRun> runs,
        (string Before, string After) load,
        string command,
        DateTimeOffset when)
    {
        var sizes = corpus.Select(d => Encoding.UTF8.GetByteCount(d.Content)).ToArray();
        var markdownShare = corpus.Count(d => d.Path.EndsWith(".md", StringComparison.Ordinal)) / (double)corpus.Count;
        var first = runs[0];
        var text = new StringBuilder();

        Line(text, $"- Date: {when:yyyy-MM-dd HH:mm} UTC");
        Line(text, $"- Machine: {MachineInfo.Cores} cores ({MachineInfo.Processor}), {MachineInfo.OperatingSystem}, {MachineInfo.Runtime}, {MachineInfo.Configuration} build; load average {load.Before} before the runs, {load.After} after");
        Line(text, $"- Command: `{command}` (ContextLite.Core from commit {MachineInfo.EngineRevision()})");
        var medianSize = Summary.Of(sizes.Select(s => (double)s)).Median;
        if (settings.Dataset is { } dataset)
        {
            Line(text, $"- Corpus: the {new DirectoryInfo(dataset).Name} collection's {corpus.Count:N0} documents (title and text, path `doc/{{id}}`), {sizes.Sum() / 1e6:F1} MB, sizes {sizes.Min():N0}-{sizes.Max():N0} B (median {medianSize:N0} B), {first.Tokens:N0} cl100k_base tokens, {first.Chunks / (double)corpus.Count:F2} chunks per document; every run ingests the same collection, so only run 1 meets its vocabulary for the first time (the warm-up is a synthetic corpus of {settings.Documents:N0} documents, seed {settings.Seed - 1})");
        }
        else
        {
            Line(text, $"- Corpus: {corpus.Count:N0} synthetic documents per run (seed {settings.Seed} for run 1, one more per run, so every run's identifiers are new to the process; run 1's: {markdownShare:P0} markdown, the rest C#-like code), {sizes.Sum() / 1e6:F1} MB, sizes {sizes.Min():N0}-{sizes.Max():N0} B (log-uniform, median {medianSize:N0} B), Zipf-distributed terms (s = {SyntheticCorpus.ZipfExponent}, {SyntheticCorpus.VocabularySize:N0} words), {first.Tokens:N0} cl100k_base tokens");
        }

        Line(text, $"- Method: `WorkspaceCatalog` over a fresh temp directory per run, `WorkspaceStore.UpsertAsync(batch, atomic: false)` in batches of {settings.BatchSize}, default chunking (512 tokens), one writer; then the same corpus again (every item unchanged); then the embedding worker's own pass over every chunk (`EmbeddingWorker.EmbedPendingAsync` with `HashingEmbeddingGenerator` 384-d: `ChunksWithoutEmbeddings` in batches of 32 growing to 1,024 while a batch embeds within 20 ms, `SaveEmbeddingsAsync` one transaction per batch). CPU time is the process's (all threads) over the ingest and the embedding pass. {settings.Runs} measured runs after one warm-up on another corpus (synthetic, seed {settings.Seed - 1}, {firstPass.Documents:N0} documents), which JITs the write path; the warm-up is the process's first pass and is reported apart, below the table. MB = 10^6 bytes of UTF-8 content.");
        text.Append('\n');

        Line(text, $"| Measure | Median | Min | Max |");
        Line(text, $"| --- | ---: | ---: | ---: |");
        Row(text, "Ingest: documents/s", runs.Select(r => r.DocumentsPerSecond), "N0");
        Row(text, "Ingest: chunks/s", runs.Select(r => r.ChunksPerSecond), "N0");
        Row(text, "Ingest: MB/s", runs.Select(r => r.MegabytesPerSecond), "F2");
        Row(text, "Hashing embedder after the ingest (the embedding worker's pass: embed + store vectors): chunks/s", runs.Select(r => r.EmbedChunksPerSecond), "N0");
        Row(text, "Ingest + hashing embedder together: chunks/s", runs.Select(r => r.EmbeddedChunksPerSecond), "N0");
        Row(text, "Ingest: process CPU time (s)", runs.Select(r => r.IngestCpu.TotalSeconds), "F2");
        Row(text, "Ingest + hashing embedder: process CPU time (s)", runs.Select(r => r.Cpu.TotalSeconds), "F2");
        Row(text, "Ingest + hashing embedder: chunks per CPU-second", runs.Select(r => r.ChunksPerCpuSecond), "N0");
        Row(text, "Ingest: wall time (s)", runs.Select(r => r.Ingest.TotalSeconds), "F2");
        Row(text, "Total chunks", runs.Select(r => (double)r.Chunks), "N0");
        Row(text, "Bytes on disk per chunk (database after close, with the hashing embedder's 384-d vectors)", runs.Select(r => r.BytesOnDiskPerChunk), "N0");
        Row(text, "Bytes on disk per chunk (database + WAL, open, before embedding)", runs.Select(r => r.OpenBytesOnDiskPerChunk), "N0");
        Row(text, "Re-ingest, all unchanged: documents/s", runs.Select(r => r.UnchangedDocumentsPerSecond), "N0");
        Row(text, "Chunking alone (Chunker.SplitAndCount, no SQLite): MB/s", runs.Select(r => r.ChunkingMegabytesPerSecond), "F2");
        text.Append('\n');

        Line(text, $"The process's first pass (the warm-up: JIT cold, seed {settings.Seed - 1}): ingest {firstPass.ChunksPerSecond:N0} chunks/s, ingest + hashing embedder {firstPass.EmbeddedChunksPerSecond:N0} chunks/s, {firstPass.ChunksPerCpuSecond:N0} chunks per CPU-second, {firstPass.Chunks:N0} chunks.");
        text.Append('\n');
        Line(text, $"Per run: {string.Join("; ", runs.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"#{i + 1} {r.Ingest.TotalSeconds:F2} s ingest, {r.Unchanged.TotalSeconds:F2} s unchanged")))}.");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, IEnumerable<double> values, string format)
    {
        var summary = Summary.Of(values);
        Line(text, $"| {name} | {summary.Median.ToString(format, CultureInfo.InvariantCulture)} | {summary.Min.ToString(format, CultureInfo.InvariantCulture)} | {summary.Max.ToString(format, CultureInfo.InvariantCulture)} |");
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
