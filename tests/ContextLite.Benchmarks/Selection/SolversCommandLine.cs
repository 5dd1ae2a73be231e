using System.CommandLine;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Selection;

/// <summary>
/// The <c>solvers</c> command: every context-selection solver on seeded instances at one time limit; with
/// <c>--markdown</c>, writes its section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class SolversCommandLine
{
    private const string Project = "tests/ContextLite.Benchmarks";

    public static Task<int> InvokeAsync(string[] args)
    {
        var instances = new Option<int>("--instances")
        {
            Description = "Seeded instances per candidate count.",
            DefaultValueFactory = _ => SolverSettings.DefaultInstances,
        };
        var limit = new Option<int>("--limit-ms")
        {
            Description = "Time limit per solve, in milliseconds.",
            DefaultValueFactory = _ => SolverSettings.DefaultLimitMilliseconds,
        };
        var reference = new Option<int>("--reference-ms")
        {
            Description = "Time limit of the branch-and-bound run that sets the best known objective.",
            DefaultValueFactory = _ => SolverSettings.DefaultReferenceMilliseconds,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "The instance seed.",
            DefaultValueFactory = _ => SolverSettings.DefaultSeed,
        };
        var markdown = new Option<string?>("--markdown") { Description = "Write or update the '## Selection solvers' section of this markdown file." };

        var solvers = new Command("solvers", "Time and gap of each context-selection solver on seeded instances (n = 20, 50, 100, 200).")
        {
            instances, limit, reference, seed, markdown,
        };
        solvers.SetAction((result, cancellationToken) =>
        {
            var settings = new SolverSettings(result.GetValue(instances), result.GetValue(limit), result.GetValue(reference), result.GetValue(seed));
            return RunAsync(settings, result.GetValue(markdown), args, cancellationToken);
        });

        return new RootCommand("ContextLite benchmarks.") { solvers }.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(SolverSettings settings, string? markdown, string[] args, CancellationToken cancellationToken)
    {
        if (settings.Instances < 1 || settings.LimitMilliseconds < 1 || settings.ReferenceMilliseconds < 1)
        {
            await Console.Error.WriteLineAsync("solvers: --instances, --limit-ms and --reference-ms must be at least 1.");
            return 2;
        }

        var benchmark = new SolverBenchmark(settings, Console.Out);
        await Task.Run(() => benchmark.Run(cancellationToken), cancellationToken);
        var command = $"dotnet run -c {MachineInfo.Configuration} --project {Project} -- {string.Join(' ', args)}";
        var section = SolverReport.Build(settings, benchmark, command, TimeProvider.System.GetUtcNow());

        Console.WriteLine();
        Console.WriteLine(SolverReport.Heading);
        Console.WriteLine();
        Console.Write(section);
        if (markdown is not null)
        {
            MarkdownSections.Write(markdown, SolverReport.Heading, section);
            Console.WriteLine($"Wrote the '{SolverReport.Heading}' section of {Path.GetFullPath(markdown)}.");
        }

        return 0;
    }
}
