using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Scale;

/// <summary>
/// The <c>scale</c> command: end-to-end runs at several corpus sizes (<see cref="ScaleBenchmark"/>), optionally
/// beside FAISS (<c>--python /usr/bin/python3</c>); writes JSON (<c>--json</c>) and its section of
/// <c>docs/benchmarks.md</c> (<c>--markdown</c>).
/// </summary>
internal static class ScaleCommandLine
{
    private const string Project = "tests/ContextLite.Benchmarks";

    public static Task<int> InvokeAsync(string[] args)
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated corpus sizes (chunks).", DefaultValueFactory = _ => "10000,100000,1000000" };
        var queries = new Option<int>("--queries") { Description = "Measured queries per size.", DefaultValueFactory = _ => ScaleSettings.DefaultQueries };
        var warmup = new Option<int>("--warmup") { Description = "Unreported warm-up queries per size.", DefaultValueFactory = _ => ScaleSettings.DefaultWarmup };
        var batch = new Option<int>("--batch-size") { Description = "Documents per UpsertAsync call.", DefaultValueFactory = _ => ScaleSettings.DefaultBatchSize };
        var seed = new Option<int>("--seed") { Description = "The corpus seed.", DefaultValueFactory = _ => ScaleSettings.DefaultSeed };
        var python = new Option<string?>("--python") { Description = "A Python 3 with faiss (Debian's /usr/bin/python3 with python3-faiss) to run peers/faiss_ivf.py." };
        var data = new Option<string?>("--data-dir") { Description = "Keep each size's workspace under this folder and reuse it when it is already ingested (profiling; ingest is then not measured)." };
        var writes = new Option<int>("--writes-every")
        {
            Description = "After the measured queries, run them again with one new document written before every n-th (not timed; deleted afterwards) and print that latency; 0 = off.",
        };
        var json = new Option<string?>("--json") { Description = "Write every measurement to this JSON file." };
        var markdown = new Option<string?>("--markdown") { Description = $"Write or update the '{ScaleReport.Heading}' section of this markdown file." };
        var command = new Command("scale", "End-to-end ingest, clustering, assemble/search latency and IVF recall at several corpus sizes.")
        {
            sizes, queries, warmup, batch, seed, python, data, writes, json, markdown,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var ns = result.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToList();
            var settings = new ScaleSettings(
                ns, result.GetValue(queries), result.GetValue(warmup), result.GetValue(batch), result.GetValue(seed), MaxTokens: 2000, MaxDocuments: 10, result.GetValue(python), result.GetValue(data), result.GetValue(writes));
            return RunAsync(settings, result.GetValue(json), result.GetValue(markdown), args, cancellationToken);
        });
        return new RootCommand("ContextLite benchmarks.") { command }.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(ScaleSettings settings, string? json, string? markdown, string[] args, CancellationToken cancellationToken)
    {
        if (settings.Sizes.Count == 0 || settings.Sizes.Any(n => n < ScaleSettings.TopK) || settings.Queries < 1 || settings.Warmup < 0 || settings.BatchSize < 1 || settings.WritesEvery < 0)
        {
            await Console.Error.WriteLineAsync("scale: --sizes needs integers ≥ 10, --queries and --batch-size at least 1, --writes-every at least 0.");
            return 2;
        }

        var before = MachineInfo.LoadAverage();
        var benchmark = new ScaleBenchmark(settings, Console.Out);
        var runs = new List<ScaleRun>();
        var command = $"dotnet run -c {MachineInfo.Configuration} --project {Project} -- {string.Join(' ', args)}";
        foreach (var size in settings.Sizes)
        {
            runs.Add(await benchmark.RunAsync(size, cancellationToken));

            // Written after every size: a 1M run that is stopped still leaves the smaller sizes on record.
            await WriteAsync(settings, runs, before, command, json, markdown, cancellationToken);
        }

        return 0;
    }

    private static async Task WriteAsync(
        ScaleSettings settings, IReadOnlyList<ScaleRun> runs, string before, string command, string? json, string? markdown, CancellationToken cancellationToken)
    {
        var when = TimeProvider.System.GetUtcNow();
        var section = ScaleReport.Build(settings, runs, (before, MachineInfo.LoadAverage()), command, when);
        Console.WriteLine();
        Console.WriteLine(ScaleReport.Heading);
        Console.WriteLine();
        Console.Write(section);
        if (json is not null)
        {
            var machine = $"{MachineInfo.Cores} cores ({MachineInfo.Processor}), {MachineInfo.OperatingSystem}, {MachineInfo.Runtime}";
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new ScaleReportJson(when, machine, command, settings, runs), ScaleJsonContext.Default.ScaleReportJson), cancellationToken);
        }

        if (markdown is not null)
        {
            MarkdownSections.Write(markdown, ScaleReport.Heading, section);
            Console.WriteLine($"Wrote the '{ScaleReport.Heading}' section of {Path.GetFullPath(markdown)}.");
        }
    }
}
