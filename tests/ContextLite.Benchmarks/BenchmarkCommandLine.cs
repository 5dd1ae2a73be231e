using System.CommandLine;
using ContextLite.Benchmarks.Ingest;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks;

/// <summary>
/// The benchmark commands. <c>ingest</c> measures bulk ingest throughput and, with <c>--markdown</c>,
/// writes its section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class BenchmarkCommandLine
{
    private const string Project = "tests/ContextLite.Benchmarks";

    public static Task<int> InvokeAsync(string[] args)
    {
        var documents = new Option<int>("--documents")
        {
            Description = "Documents in the synthetic corpus.",
            DefaultValueFactory = _ => IngestSettings.DefaultDocuments,
        };
        var runs = new Option<int>("--runs")
        {
            Description = "Measured runs, each into a fresh temp directory.",
            DefaultValueFactory = _ => IngestSettings.DefaultRuns,
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Documents per UpsertAsync call.",
            DefaultValueFactory = _ => IngestSettings.DefaultBatchSize,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "The corpus seed.",
            DefaultValueFactory = _ => IngestSettings.DefaultSeed,
        };
        var dataset = new Option<string?>("--dataset")
        {
            Description = "Ingest this retrieval collection's folder (corpus.jsonl[.gz], e.g. ../shared/data/scifact) in every measured run; --documents then sizes the synthetic warm-up.",
        };
        var markdown = new Option<string?>("--markdown") { Description = "Write or update the '## Bulk ingest' section (with --dataset, '## Bulk ingest (name)') of this markdown file." };

        var ingest = new Command("ingest", "Bulk ingest throughput of WorkspaceStore.UpsertAsync on a synthetic corpus.")
        {
            documents, runs, batchSize, seed, dataset, markdown,
        };
        ingest.SetAction((result, cancellationToken) =>
        {
            var settings = new IngestSettings(
                result.GetValue(documents), result.GetValue(runs), result.GetValue(batchSize), result.GetValue(seed), result.GetValue(dataset));
            return RunIngestAsync(settings, result.GetValue(markdown), args, cancellationToken);
        });

        var root = new RootCommand("ContextLite benchmarks.") { ingest };
        return root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunIngestAsync(IngestSettings settings, string? markdown, string[] args, CancellationToken cancellationToken)
    {
        if (settings.Documents < 1 || settings.Runs < 1 || settings.BatchSize < 1)
        {
            await Console.Error.WriteLineAsync("ingest: --documents, --runs and --batch-size must be at least 1.");
            return 2;
        }

        if (settings.Dataset is { } folder && !Directory.Exists(folder))
        {
            await Console.Error.WriteLineAsync($"ingest: --dataset '{folder}' is not a folder.");
            return 2;
        }

        var benchmark = new IngestBenchmark(settings, TimeProvider.System, Console.Out);
        var results = await benchmark.RunAsync(cancellationToken);
        var command = $"dotnet run -c {MachineInfo.Configuration} --project {Project} -- {string.Join(' ', args)}";
        var section = IngestReport.Build(settings, benchmark.Corpus, benchmark.FirstPass!, results, benchmark.Load, command, TimeProvider.System.GetUtcNow());

        Console.WriteLine();
        var heading = IngestReport.HeadingFor(settings);
        Console.WriteLine(heading);
        Console.WriteLine();
        Console.Write(section);
        if (markdown is not null)
        {
            MarkdownSections.Write(markdown, heading, section);
            Console.WriteLine($"Wrote the '{heading}' section of {Path.GetFullPath(markdown)}.");
        }

        return 0;
    }
}
