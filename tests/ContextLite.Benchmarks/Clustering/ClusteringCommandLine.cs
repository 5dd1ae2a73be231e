using System.CommandLine;
using System.Globalization;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Clustering;

/// <summary>
/// The <c>kmeans</c> command: k-means rebuild time at several N and, with <c>--scifact</c>, IVF recall@10 versus
/// nprobe on SciFact's MiniLM vectors; with <c>--markdown</c>, writes its section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class ClusteringCommandLine
{
    private const string Project = "tests/ContextLite.Benchmarks";

    public static Task<int> InvokeAsync(string[] args)
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated N to cluster.", DefaultValueFactory = _ => "10000,100000,1000000" };
        var dimension = new Option<int>("--dimension") { Description = "Vector dimension.", DefaultValueFactory = _ => 384 };
        var seed = new Option<int>("--seed") { Description = "Data and k-means seed.", DefaultValueFactory = _ => 42 };
        var scifact = new Option<string?>("--scifact") { Description = "SciFact folder with minilm.corpus.f32 and minilm.queries.f32 (IVF recall)." };
        var markdown = new Option<string?>("--markdown") { Description = $"Write or update the '{ClusteringReport.Heading}' section of this markdown file." };
        var kmeans = new Command("kmeans", "k-means rebuild time on synthetic clustered vectors, and IVF recall@10 versus nprobe on SciFact.")
        {
            sizes, dimension, seed, scifact, markdown,
        };
        kmeans.SetAction((result, cancellationToken) => Task.Run(() => Run(
            result.GetValue(sizes)!, result.GetValue(dimension), result.GetValue(seed), result.GetValue(scifact), result.GetValue(markdown), args, cancellationToken), cancellationToken));
        return new RootCommand("ContextLite benchmarks.") { kmeans }.Parse(args).InvokeAsync();
    }

    private static int Run(string sizes, int dimension, int seed, string? scifact, string? markdown, string[] args, CancellationToken cancellationToken)
    {
        var ns = sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToList();
        if (ns.Count == 0 || ns.Any(n => n < 1) || dimension < 1)
        {
            Console.Error.WriteLine("kmeans: --sizes needs positive integers and --dimension must be at least 1.");
            return 2;
        }

        var recall = scifact is null ? null : IvfRecallBenchmark.Run(scifact, seed, Console.Out);
        var benchmark = new KMeansBenchmark(dimension, seed, Console.Out);
        var runs = ns.Select(n => benchmark.Run(n, cancellationToken)).ToList();

        var shown = args.Select(a => a.StartsWith('/') ? Path.GetFileName(a.TrimEnd('/')) is var name && name.Length > 0 ? ".../" + name : a : a);
        var command = $"dotnet run -c {MachineInfo.Configuration} --project {Project} -- {string.Join(' ', shown)}";
        var section = ClusteringReport.Build(dimension, seed, runs, recall, command, TimeProvider.System.GetUtcNow());
        Console.WriteLine();
        Console.WriteLine(ClusteringReport.Heading);
        Console.WriteLine();
        Console.Write(section);
        if (markdown is not null)
        {
            MarkdownSections.Write(markdown, ClusteringReport.Heading, section);
            Console.WriteLine($"Wrote the '{ClusteringReport.Heading}' section of {Path.GetFullPath(markdown)}.");
        }

        return 0;
    }
}
