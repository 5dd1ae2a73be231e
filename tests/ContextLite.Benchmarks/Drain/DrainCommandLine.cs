using System.CommandLine;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Drain;

/// <summary>
/// <c>drain [--documents 300] [--batch-size 100] [--queries-after 400] [--seed N] [--timeout 900] [--markdown docs/benchmarks.md]</c>:
/// MiniLM's ingest rate through the background queue and the query latency while it drains; exit 1 when a query failed.
/// </summary>
internal static class DrainCommandLine
{
    private const string Project = "tests/ContextLite.Benchmarks";

    public static Task<int> InvokeAsync(string[] args)
    {
        var documents = new Option<int>("--documents") { Description = "Documents in the synthetic corpus.", DefaultValueFactory = _ => DrainSettings.DefaultDocuments };
        var batchSize = new Option<int>("--batch-size") { Description = "Documents per UpsertAsync call.", DefaultValueFactory = _ => DrainSettings.DefaultBatchSize };
        var queriesAfter = new Option<int>("--queries-after") { Description = "Queries after the drain, for comparison.", DefaultValueFactory = _ => DrainSettings.DefaultQueriesAfter };
        var seed = new Option<int>("--seed") { Description = "The corpus and query seed.", DefaultValueFactory = _ => DrainSettings.DefaultSeed };
        var timeout = new Option<int>("--timeout") { Description = "Seconds the drain may take before the run is abandoned.", DefaultValueFactory = _ => DrainSettings.DefaultTimeoutSeconds };
        var markdown = new Option<string?>("--markdown") { Description = $"Write or update the '{DrainReport.Heading}' section of this markdown file." };
        var drain = new Command("drain", "MiniLM embedding rate of the background queue, and query latency while it drains.")
        {
            documents, batchSize, queriesAfter, seed, timeout, markdown,
        };
        drain.SetAction(async (result, cancellationToken) =>
        {
            var settings = new DrainSettings(
                result.GetValue(documents), result.GetValue(batchSize), result.GetValue(queriesAfter), result.GetValue(seed), TimeSpan.FromSeconds(result.GetValue(timeout)));
            if (settings.Documents < 1 || settings.BatchSize < 1 || settings.QueriesAfter < 1 || settings.Timeout <= TimeSpan.Zero)
            {
                await Console.Error.WriteLineAsync("drain: --documents, --batch-size, --queries-after and --timeout must be at least 1.");
                return 2;
            }

            var benchmark = new DrainBenchmark(settings, Console.Out);
            var measured = await benchmark.RunAsync(cancellationToken);
            var command = $"dotnet run -c {MachineInfo.Configuration} --project {Project} -- {string.Join(' ', args)}";
            var section = DrainReport.Build(settings, measured, benchmark.Load, command, TimeProvider.System.GetUtcNow());
            Console.WriteLine();
            Console.WriteLine(DrainReport.Heading);
            Console.WriteLine();
            Console.Write(section);
            var path = result.GetValue(markdown);
            if (path is not null)
            {
                MarkdownSections.Write(path, DrainReport.Heading, section);
                Console.WriteLine($"Wrote the '{DrainReport.Heading}' section of {Path.GetFullPath(path)}.");
            }

            return measured.Queries.Any(q => q.Error is not null) ? 1 : 0;
        });
        return new RootCommand("ContextLite drain benchmark.") { drain }.Parse(args).InvokeAsync();
    }
}
