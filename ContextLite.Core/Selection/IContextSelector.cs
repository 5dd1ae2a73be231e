namespace ContextLite.Selection;

/// <summary>A solver for <see cref="SelectionProblem"/>.</summary>
public interface IContextSelector
{
    /// <summary>The solver's name as requests and responses spell it (e.g. <c>branch_and_bound</c>).</summary>
    string Name { get; }

    /// <summary>Solves within <paramref name="timeLimit"/>; always returns a feasible answer (possibly empty).</summary>
    SelectionResult Select(SelectionProblem problem, TimeSpan timeLimit, CancellationToken cancellationToken = default);
}
