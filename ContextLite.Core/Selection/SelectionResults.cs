namespace ContextLite.Selection;

/// <summary>Builds a <see cref="SelectionResult"/> the same way for every solver.</summary>
internal static class SelectionResults
{
    /// <summary>
    /// The result for the candidates flagged in <paramref name="chosen"/>. The objective is always recomputed with
    /// <see cref="SelectionProblem.Objective"/>, so every solver reports the same number for the same selection;
    /// the bound is never below it, and equals it when the answer is optimal.
    /// </summary>
    public static SelectionResult Create(
        SelectionProblem problem, ReadOnlySpan<bool> chosen, double bound, SelectionStatus status, string solver, TimeSpan elapsed, long nodes)
    {
        var count = 0;
        foreach (var flag in chosen)
        {
            count += flag ? 1 : 0;
        }

        var selected = new int[count];
        var next = 0;
        for (var i = 0; i < chosen.Length; i++)
        {
            if (chosen[i])
            {
                selected[next++] = i;
            }
        }

        var objective = problem.Objective(selected);
        var reported = status == SelectionStatus.Optimal ? objective : Math.Max(bound, objective);
        return new SelectionResult(selected, objective, reported, status, solver, elapsed, nodes);
    }

    /// <summary>The answer for a problem with no candidates: nothing to choose, provably optimal.</summary>
    public static SelectionResult Empty(string solver, TimeSpan elapsed) =>
        new([], 0, 0, SelectionStatus.Optimal, solver, elapsed, 0);
}
