using BenchmarkDotNet.Attributes;
using ContextLite.Benchmarks.Selection;
using ContextLite.Selection;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// The selection solvers on one 60-candidate problem shaped like the solver benchmark's (budget 8,000 tokens, at
/// most 15 documents, λ = 0.5), with the engine's default 50 ms limit; model building and validation included.
/// </summary>
[MemoryDiagnoser]
public class SelectionKernels
{
    public const int Candidates = 60;

    private static readonly TimeSpan s_limit = TimeSpan.FromMilliseconds(new SelectionOptions().TimeLimitMs);
    private readonly GreedySelector _greedy = new();
    private readonly BranchAndBoundSelector _branchAndBound = new();
    private SelectionProblem _problem = null!;

    /// <summary>The problem the selection kernels solve (seeded).</summary>
    internal static SelectionProblem Problem() => SolverInstances.Create(new Random(KernelData.Seed), Candidates);

    [GlobalSetup]
    public void Setup() => _problem = Problem();

    [Benchmark(Description = "greedy selection (60 candidates)")]
    public SelectionResult Greedy() => _greedy.Select(_problem, s_limit);

    [Benchmark(Description = "branch-and-bound selection (60 candidates, 50 ms limit)")]
    public SelectionResult BranchAndBound() => _branchAndBound.Select(_problem, s_limit);
}
