namespace ContextLite.Selection;

/// <summary>What a solver can say about its answer.</summary>
public enum SelectionStatus
{
    /// <summary>Proven optimal: <see cref="SelectionResult.Bound"/> equals the objective.</summary>
    Optimal,

    /// <summary>A feasible answer; the proven bound is in <see cref="SelectionResult.Bound"/> (the gap may be non-zero).</summary>
    Feasible,
}
