namespace ContextLite.Selection;

/// <summary>A solver's answer.</summary>
/// <param name="Selected">Chosen candidate indices, ascending.</param>
/// <param name="Objective">The objective of <paramref name="Selected"/>.</param>
/// <param name="Bound">A proven upper bound on the optimum (equals the objective when optimal; +∞ when none is known).</param>
/// <param name="Status">Optimal or feasible.</param>
/// <param name="Solver">The solver's name.</param>
/// <param name="Elapsed">Wall time spent.</param>
/// <param name="Nodes">Search nodes explored (solver-specific; 0 when not applicable).</param>
public sealed record SelectionResult(
    IReadOnlyList<int> Selected,
    double Objective,
    double Bound,
    SelectionStatus Status,
    string Solver,
    TimeSpan Elapsed,
    long Nodes = 0)
{
    /// <summary>The relative gap between the bound and the objective (0 when optimal).</summary>
    public double Gap => Status == SelectionStatus.Optimal || double.IsInfinity(Bound) ? (Status == SelectionStatus.Optimal ? 0 : double.PositiveInfinity)
        : Math.Abs(Bound) < 1e-12 ? 0 : Math.Max(0, (Bound - Objective) / Math.Abs(Bound));
}
