using ContextLite.Benchmarks.Reporting;
using ContextLite.Selection;

namespace ContextLite.Benchmarks.Selection;

/// <summary>How one solver did on the instances of one size.</summary>
internal sealed record SolverMeasurement(
    int Candidates, string Solver, double MeanMilliseconds, double P95Milliseconds, double MeanGap, double MaxGap, int Optimal, int Feasible, double? MeanProvenGap);

/// <summary>The long branch-and-bound runs that set the best known objective for one size.</summary>
internal sealed record ReferenceRun(int Candidates, int Instances, int Proven, double MeanMilliseconds);

/// <summary>
/// Runs every solver on seeded instances at a fixed time limit and compares each answer with the best objective
/// known for that instance (a long branch-and-bound run, or any better answer a solver found).
/// </summary>
internal sealed class SolverBenchmark(SolverSettings settings, TextWriter log)
{
    public List<ReferenceRun> References { get; } = [];

    public List<SolverMeasurement> Measurements { get; } = [];

    /// <summary>Whether libz3 could be loaded, so the Z3 rows are present.</summary>
    public bool Z3Measured { get; } = Z3Selector.IsAvailable;

    /// <summary>The machine's load averages before and after the runs: other work on the machine slows every solver.</summary>
    public (string Before, string After) Load { get; private set; }

    public void Run(CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var solvers = Solvers();
        var limit = TimeSpan.FromMilliseconds(settings.LimitMilliseconds);
        WarmUp(solvers, limit, cancellationToken);

        foreach (var n in SolverSettings.Sizes)
        {
            var random = new Random(settings.Seed + n);
            var problems = Enumerable.Range(0, settings.Instances).Select(_ => SolverInstances.Create(random, n)).ToArray();
            var reference = problems
                .Select(p => new BranchAndBoundSelector().Select(p, TimeSpan.FromMilliseconds(settings.ReferenceMilliseconds), cancellationToken))
                .ToArray();
            var proven = reference.Count(r => r.Status == SelectionStatus.Optimal);
            References.Add(new ReferenceRun(n, problems.Length, proven, reference.Average(r => r.Elapsed.TotalMilliseconds)));
            log.WriteLine($"n = {n}: reference branch-and-bound proved {proven}/{problems.Length} optimal.");

            var results = solvers.ToDictionary(s => s.Label, s => problems.Select(p => s.Selector.Select(p, limit, cancellationToken)).ToArray());
            var best = problems.Select((_, i) => results.Values.Select(r => r[i].Objective).Append(reference[i].Objective).Max()).ToArray();
            foreach (var (label, answers) in results)
            {
                var measurement = Measure(n, label, answers, best);
                Measurements.Add(measurement);
                log.WriteLine($"  {label}: mean {measurement.MeanMilliseconds:F3} ms, mean gap {measurement.MeanGap:P2}, optimal {measurement.Optimal}/{answers.Length}.");
            }
        }

        Load = (loadBefore, MachineInfo.LoadAverage());
    }

    private List<(string Label, IContextSelector Selector)> Solvers()
    {
        var solvers = new List<(string, IContextSelector)> { ("greedy", new GreedySelector()), ("branch_and_bound", new BranchAndBoundSelector()) };
        if (Z3Measured)
        {
            solvers.Add(($"z3 ({Z3Selector.DefaultMaxSatEngine}, default)", new Z3Selector()));
            solvers.Add(("z3 (maxres)", new Z3Selector(timeProvider: null, "maxres")));
        }
        else
        {
            log.WriteLine("libz3.so.4 could not be loaded (apt-get install libz3-4); the z3 rows are left out.");
        }

        return solvers;
    }

    private void WarmUp(List<(string Label, IContextSelector Selector)> solvers, TimeSpan limit, CancellationToken cancellationToken)
    {
        // Tiered JIT: the first calls of a solver run unoptimised code, which is not what a server sees.
        var random = new Random(settings.Seed - 1);
        for (var round = 0; round < 40; round++)
        {
            var problem = SolverInstances.Create(random, SolverSettings.Sizes[round % SolverSettings.Sizes.Count]);
            foreach (var (label, selector) in solvers)
            {
                if (!label.StartsWith("z3", StringComparison.Ordinal) || round < 4)
                {
                    selector.Select(problem, limit, cancellationToken);
                }
            }
        }
    }

    private static SolverMeasurement Measure(int n, string label, SelectionResult[] answers, double[] best)
    {
        var times = answers.Select(a => a.Elapsed.TotalMilliseconds).Order().ToArray();
        var gaps = answers.Select((a, i) => best[i] > 0 ? (best[i] - a.Objective) / best[i] : 0).ToArray();
        var proven = answers.Where(a => !double.IsInfinity(a.Bound)).Select(a => a.Gap).ToArray();
        return new SolverMeasurement(
            n,
            label,
            times.Average(),
            times[(int)Math.Ceiling(0.95 * times.Length) - 1],
            gaps.Average(),
            gaps.Max(),
            answers.Count(a => a.Status == SelectionStatus.Optimal),
            answers.Count(a => a.Status == SelectionStatus.Feasible),
            proven.Length == 0 ? null : proven.Average());
    }
}
