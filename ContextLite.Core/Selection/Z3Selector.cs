using System.Buffers;
using System.Runtime.InteropServices;

namespace ContextLite.Selection;

/// <summary>
/// Solves the selection model with Z3's optimizer (νZ) through the system <c>libz3</c>: an SMT/pseudo-Boolean
/// backend kept for verification and for users who want it; on this problem it is much slower than
/// <see cref="BranchAndBoundSelector"/> (see docs/benchmarks.md).
/// </summary>
/// <remarks>
/// <para>
/// Model: a Boolean <c>x_i</c> per useful candidate (positive relevance, fits the budget; the others can never be in
/// an optimal answer and are left out); the budget as the pseudo-Boolean constraint <c>Σ tokens_i·x_i ≤ MaxTokens</c>
/// and the cap as <c>atmost(x, MaxItems)</c>, each only when it can bind. The objective is weighted MaxSAT: soft
/// <c>x_i</c> with weight relevance_i, and per pair with a positive penalty the soft clause <c>¬x_i ∨ ¬x_j</c> with
/// weight λ·redundancy_ij, violated exactly when both are chosen. The cost of the violated soft constraints is
/// <c>Σ relevance − objective</c>, so minimising it maximises the objective. Weights are decimals (15 significant
/// digits), not scaled integers. An auxiliary <c>y_ij ≥ x_i ∧ x_j</c> per pair, with an arithmetic objective, states
/// the same model but costs a Z3 constant per pair (most of the build time at n = 200) and solved no faster.
/// </para>
/// <para>
/// The MaxSAT engine is <c>wmax</c> (see <see cref="DefaultMaxSatEngine"/>) and the time limit is Z3's <c>timeout</c>
/// parameter; cancellation interrupts Z3. The answer is optimal only when Z3 reports <c>sat</c> within the time limit.
/// Otherwise it is the best model Z3 has — or the empty selection when there is none or it scores below zero — with
/// the bound Z3 proved, <c>Σ relevance − lower(cost)</c>, or +∞. The objective is always recomputed with
/// <see cref="SelectionProblem.Objective"/>.
/// </para>
/// </remarks>
public sealed class Z3Selector : IContextSelector
{
    /// <summary>
    /// Z3's weighted MaxSAT by successive improvement. Measured on the benchmark's instance shape, it proves small
    /// instances optimal far sooner than Z3's default, the core-guided <c>maxres</c> (mean 8 ms against 350 ms at
    /// n = 10, 0.13 s against 2.2 s at n = 15), and its answers at a 50 ms limit are no worse; <c>maxres</c> proves
    /// tighter bounds when it stops early. Both are compared in docs/benchmarks.md.
    /// </summary>
    internal const string DefaultMaxSatEngine = "wmax";

    private static readonly Lazy<bool> Available = new(Probe);

    private readonly TimeProvider timeProvider;
    private readonly string maxSatEngine;

    /// <summary>Creates the selector; <paramref name="timeProvider"/> only times the answer.</summary>
    public Z3Selector(TimeProvider? timeProvider = null)
        : this(timeProvider, DefaultMaxSatEngine)
    {
    }

    /// <summary>Creates the selector with a given MaxSAT engine (<c>wmax</c>, <c>maxres</c>, …), for comparisons.</summary>
    internal Z3Selector(TimeProvider? timeProvider, string maxSatEngine)
    {
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.maxSatEngine = maxSatEngine;
    }

    /// <summary>The name requests and responses use: <c>z3</c>.</summary>
    public static string SolverName => "z3";

    /// <summary>Whether <c>libz3.so.4</c> (with the optimization API) can be loaded on this machine.</summary>
    public static bool IsAvailable => Available.Value;

    /// <inheritdoc />
    public string Name => SolverName;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">libz3 is not installed, or Z3 reported an error.</exception>
    public SelectionResult Select(SelectionProblem problem, TimeSpan timeLimit, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        if (timeLimit != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeLimit, TimeSpan.Zero);
        }

        using var model = SelectionModel.Create(problem);
        cancellationToken.ThrowIfCancellationRequested();
        if (model.Count == 0)
        {
            return SelectionResults.Empty(Name, timeProvider.GetElapsedTime(started));
        }

        if (!IsAvailable)
        {
            throw new InvalidOperationException(
                $"The z3 solver needs the Z3 library ({Z3Native.Library}), which could not be loaded. Install it with " +
                "`apt-get install libz3-4` (Debian/Ubuntu), or choose the branch_and_bound or greedy solver.");
        }

        var chosen = ArrayPool<bool>.Shared.Rent(model.Count);
        try
        {
            var flags = chosen.AsSpan(0, model.Count);
            flags.Clear();
            var (status, bound) = Solve(model, flags, started, timeLimit, cancellationToken);
            return SelectionResults.Create(problem, flags, bound, status, Name, timeProvider.GetElapsedTime(started), nodes: 0);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(chosen);
        }
    }

    private static bool Probe()
    {
        try
        {
            return NativeLibrary.TryLoad(Z3Native.Library, typeof(Z3Native).Assembly, searchPath: null, out var handle)
                && NativeLibrary.TryGetExport(handle, "Z3_optimize_check", out _)
                && NativeLibrary.TryGetExport(handle, "Z3_mk_pble", out _);
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private (SelectionStatus Status, double Bound) Solve(
        SelectionModel model, Span<bool> flags, long started, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        using var z3 = new Z3Optimization();
        using var interrupt = cancellationToken.Register(static state => ((Z3Optimization)state!).Interrupt(), z3);
        var candidates = Z3SelectionModel.Build(z3, model);

        // Building the model counts against the limit (at n = 200 it is tens of milliseconds of native calls);
        // Z3 gets what is left, at least 1 ms so that it can still report a model.
        uint? timeout = timeLimit == Timeout.InfiniteTimeSpan
            ? null
            : (uint)Math.Clamp(Math.Ceiling((timeLimit - timeProvider.GetElapsedTime(started)).TotalMilliseconds), 1, uint.MaxValue - 1);
        z3.Configure(timeout, maxSatEngine);
        var result = z3.Check();
        interrupt.Dispose();
        cancellationToken.ThrowIfCancellationRequested();

        if (result == Z3Native.LiftedTrue && candidates.Read(z3, model, flags))
        {
            return (SelectionStatus.Optimal, double.NaN);
        }

        // A model found before the timeout can score below the empty selection, which is always feasible.
        if (!candidates.Read(z3, model, flags) || model.Objective(flags) < 0)
        {
            flags.Clear();
        }

        return (SelectionStatus.Feasible, candidates.ProvenBound(z3) ?? double.PositiveInfinity);
    }
}
