using System.Diagnostics.CodeAnalysis;

namespace ContextLite.Selection;

/// <summary>The solvers by the names requests and configuration use.</summary>
/// <remarks>
/// <c>auto</c> is the branch-and-bound solver: within the time limit it proves the optimum, and past it it still
/// answers with its greedy-seeded incumbent and a proven bound, so there is nothing left to choose automatically.
/// Names are matched case-insensitively; <c>exact</c> and <c>bnb</c> are aliases of <c>branch_and_bound</c>.
/// </remarks>
public static class ContextSelectors
{
    /// <summary>The default solver name.</summary>
    public static string Auto => "auto";

    private static readonly BranchAndBoundSelector BranchAndBound = new();
    private static readonly GreedySelector Greedy = new();
    private static readonly Z3Selector Z3 = new();

    /// <summary>The solver names, as documented (aliases not included).</summary>
    public static IReadOnlyList<string> Names { get; } =
        [Auto, BranchAndBoundSelector.SolverName, GreedySelector.SolverName, Z3Selector.SolverName];

    /// <summary>The solver called <paramref name="name"/> (null or blank means <c>auto</c>); false for an unknown name.</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out IContextSelector? selector)
    {
        selector = Normalise(name) switch
        {
            "auto" or "branch_and_bound" or "exact" or "bnb" => BranchAndBound,
            "greedy" => Greedy,
            "z3" => Z3,
            _ => null,
        };
        return selector is not null;
    }

    /// <summary>The solver called <paramref name="name"/>; throws <see cref="ArgumentException"/> naming the valid names otherwise.</summary>
    public static IContextSelector Get(string? name) =>
        TryGet(name, out var selector)
            ? selector
            : throw new ArgumentException($"Unknown solver '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name));

    private static string Normalise(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant().Replace('-', '_');
}
