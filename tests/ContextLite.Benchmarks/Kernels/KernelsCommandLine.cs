using System.CommandLine;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Running;
using ContextLite.Benchmarks.Reporting;
using Summary = BenchmarkDotNet.Reports.Summary;
using ContextLite.Selection;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// The <c>kernels</c> command: BenchmarkDotNet over the engine's hot kernels (vector scan, top-k, IVF probe and
/// search, k-means steps, selection solvers, ring lookup, FTS query building); with <c>--markdown</c>, writes its
/// section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class KernelsCommandLine
{
    private const string Project = "tests/ContextLite.Benchmarks";

    private static readonly Type[] s_kernels =
    [
        typeof(VectorSearchKernels), typeof(TopKKernels), typeof(KMeansKernels), typeof(SelectionKernels),
        typeof(RingKernels), typeof(FtsQueryKernels), typeof(TokenCountKernels),
    ];

    public static Task<int> InvokeAsync(string[] args)
    {
        var warmups = new Option<int>("--warmups") { Description = "Warm-up iterations per kernel.", DefaultValueFactory = _ => 3 };
        var iterations = new Option<int>("--iterations") { Description = "Measured iterations per kernel.", DefaultValueFactory = _ => 5 };
        var filter = new Option<string[]>("--filter")
        {
            Description = "Only the benchmarks whose full name matches one of these globs (e.g. '*Ring*').",
            AllowMultipleArgumentsPerToken = true,
        };
        var markdown = new Option<string?>("--markdown") { Description = $"Write or update the '{KernelsReport.Heading}' section of this markdown file." };
        var kernels = new Command("kernels", "BenchmarkDotNet over the engine's kernels (Release build only).")
        {
            warmups, iterations, filter, markdown,
        };
        kernels.SetAction((result, cancellationToken) => Task.Run(() => Run(
            result.GetValue(warmups), result.GetValue(iterations), result.GetValue(filter) ?? [], result.GetValue(markdown), args), cancellationToken));
        return new RootCommand("ContextLite benchmarks.") { kernels }.Parse(args).InvokeAsync();
    }

    private static int Run(int warmups, int iterations, string[] filters, string? markdown, string[] args)
    {
        if (warmups < 1 || iterations < 1)
        {
            Console.Error.WriteLine("kernels: --warmups and --iterations must be at least 1.");
            return 2;
        }

        if (MachineInfo.Configuration != "Release")
        {
            // BenchmarkDotNet refuses non-optimised assemblies, and Debug numbers would mean nothing anyway.
            Console.Error.WriteLine($"kernels: this is a {MachineInfo.Configuration} build; run it with -c Release.");
            return 2;
        }

        var artifacts = Path.Combine(Path.GetTempPath(), $"contextlite-kernels-{Environment.ProcessId}");
        var loadBefore = MachineInfo.LoadAverage();
        Summary[] summaries;
        try
        {
            summaries = BenchmarkRunner.Run(s_kernels, KernelsConfig.Create(warmups, iterations, filters, artifacts));
        }
        finally
        {
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }

        var load = (loadBefore, MachineInfo.LoadAverage());
        var measurements = Measurements(summaries);
        if (measurements.Count == 0 || summaries.Any(s => s.HasCriticalValidationErrors))
        {
            Console.Error.WriteLine("kernels: no benchmark ran (see BenchmarkDotNet's output above).");
            return 1;
        }

        var command = $"dotnet run -c {MachineInfo.Configuration} --project {Project} -- {string.Join(' ', args)}";
        var section = KernelsReport.Build(measurements, DataNotes(measurements), warmups, iterations, load, command, TimeProvider.System.GetUtcNow());
        Console.WriteLine();
        Console.WriteLine(KernelsReport.Heading);
        Console.WriteLine();
        Console.Write(section);
        if (markdown is not null)
        {
            MarkdownSections.Write(markdown, KernelsReport.Heading, section);
            Console.WriteLine($"Wrote the '{KernelsReport.Heading}' section of {Path.GetFullPath(markdown)}.");
        }

        return 0;
    }

    /// <summary>The results in the order of <see cref="s_kernels"/>, each class's cases in BenchmarkDotNet's order.</summary>
    private static List<KernelMeasurement> Measurements(IEnumerable<Summary> summaries) =>
    [
        .. from summary in summaries
           from report in summary.Reports
           where report.ResultStatistics is not null
           let statistics = report.ResultStatistics!
           orderby Array.IndexOf(s_kernels, report.BenchmarkCase.Descriptor.Type)
           select new KernelMeasurement(
               report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
               report.BenchmarkCase.Parameters.DisplayInfo.Trim('[', ']'),
               statistics.Mean,
               new LegacyConfidenceInterval(statistics.Mean, statistics.StandardError, statistics.N, LegacyConfidenceLevel.L999).Margin,
               statistics.Median,
               report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase)),
    ];

    /// <summary>What the kernels ran on, from the same seeded data the run used.</summary>
    private static List<string> DataNotes(IReadOnlyList<KernelMeasurement> measurements)
    {
        var notes = new List<string>();
        var sizes = measurements.Where(m => m.Case.StartsWith("N=", StringComparison.Ordinal)).Select(m => int.Parse(m.Case[2..], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        if (sizes.Count > 0)
        {
            var clusters = string.Join(", ", sizes.Select(n => $"K = {KernelData.Index(n).ClusterCount} at N = {n:N0}"));
            notes.Add($"Vectors: `ScaleCorpus` (seed {KernelData.Seed}) {KernelData.Dimension}-d unit vectors around 1,024 topics, in a `VectorIndex` with clusters from `BuildClusters` as the indexer runs it ({clusters}); each call takes the next of {KernelData.QueryCount} query vectors. nprobe and the adaptive gap are `ClusteringOptions`' defaults.");
        }

        if (measurements.Any(m => m.Kernel.Contains("selection", StringComparison.Ordinal)))
        {
            var answer = new BranchAndBoundSelector().Select(SelectionKernels.Problem(), TimeSpan.FromSeconds(10));
            notes.Add($"Selection: one seeded instance of the solver benchmark's recipe, {SelectionKernels.Candidates} candidates; branch-and-bound with a 10 s limit ends {answer.Status.ToString().ToLowerInvariant()} on it after {answer.Elapsed.TotalMilliseconds:0.0} ms.");
        }

        return notes;
    }
}
