using System.Buffers;

namespace ContextLite.Selection;

/// <summary>
/// Best-of-two greedy with 1-swap local search: microseconds, usually within a few percent of the optimum
/// (see <see cref="GreedySearch"/> for the passes and moves).
/// </summary>
/// <remarks>
/// The reported bound is the root bound of <see cref="KnapsackBound"/> (relevances only, no penalties), which is
/// cheap and always valid; the answer is reported optimal when it reaches that bound — for example when every
/// useful candidate fits and none overlaps another.
/// </remarks>
public sealed class GreedySelector : IContextSelector
{
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the selector; <paramref name="timeProvider"/> only times the answer.</summary>
    public GreedySelector(TimeProvider? timeProvider = null) => this.timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The name requests and responses use: <c>greedy</c>.</summary>
    public static string SolverName => "greedy";

    /// <inheritdoc />
    public string Name => SolverName;

    /// <inheritdoc />
    /// <remarks>The time limit is not needed: the passes are polynomial and take microseconds.</remarks>
    public SelectionResult Select(SelectionProblem problem, TimeSpan timeLimit, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        using var model = SelectionModel.Create(problem);
        cancellationToken.ThrowIfCancellationRequested();
        if (model.Count == 0)
        {
            return SelectionResults.Empty(Name, timeProvider.GetElapsedTime(started));
        }

        var chosen = ArrayPool<bool>.Shared.Rent(model.Count);
        try
        {
            var flags = chosen.AsSpan(0, model.Count);
            var objective = GreedySearch.Solve(model, flags);
            var bound = KnapsackBound.Root(model);
            var status = objective >= bound - GreedySearch.Tolerance(bound) ? SelectionStatus.Optimal : SelectionStatus.Feasible;
            return SelectionResults.Create(problem, flags, bound, status, Name, timeProvider.GetElapsedTime(started), nodes: 0);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(chosen);
        }
    }
}
