using System.Buffers;

namespace ContextLite.Selection;

/// <summary>
/// A validated <see cref="SelectionProblem"/> in the shape the solvers work on: the redundancy matrix is copied once
/// into a pooled, symmetric matrix of penalties λ·redundancy (zero diagonal) so inner loops read one contiguous row.
/// </summary>
/// <remarks>
/// Penalties are read from the upper triangle of the caller's matrix, which is exactly what
/// <see cref="SelectionProblem.Objective"/> reads for an ascending selection; the internal objective therefore
/// agrees with the public one up to the order of floating-point additions.
/// </remarks>
internal sealed class SelectionModel : IDisposable
{
    private double[]? penalty;

    private SelectionModel(SelectionProblem problem, double[]? penalty)
    {
        Relevance = problem.Relevance;
        Tokens = problem.Tokens;
        MaxTokens = problem.MaxTokens;
        MaxItems = Math.Min(problem.MaxItems, problem.Relevance.Length);
        this.penalty = penalty;
    }

    public int Count => Relevance.Length;

    public double[] Relevance { get; }

    public int[] Tokens { get; }

    public int MaxTokens { get; }

    /// <summary>The item cap, never above <see cref="Count"/>.</summary>
    public int MaxItems { get; }

    /// <summary>Whether any pair of candidates has a positive penalty.</summary>
    public bool HasPenalty => penalty is not null;

    /// <summary>Validates <paramref name="problem"/> (throwing <see cref="ArgumentException"/>) and builds the model.</summary>
    public static SelectionModel Create(SelectionProblem problem)
    {
        SelectionProblemValidation.Validate(problem, nameof(problem));
        return new SelectionModel(problem, BuildPenalties(problem));
    }

    /// <summary>Penalties λ·redundancy between candidate <paramref name="i"/> and every candidate; only when <see cref="HasPenalty"/>.</summary>
    public ReadOnlySpan<double> PenaltyRow(int i) => penalty.AsSpan(i * Count, Count);

    public double Penalty(int i, int j) => penalty is null ? 0 : penalty[(i * Count) + j];

    /// <summary>The objective of the candidates flagged in <paramref name="chosen"/>.</summary>
    public double Objective(ReadOnlySpan<bool> chosen)
    {
        var total = 0.0;
        for (var i = 0; i < chosen.Length; i++)
        {
            if (!chosen[i])
            {
                continue;
            }

            total += Relevance[i];
            for (var j = i + 1; j < chosen.Length && penalty is not null; j++)
            {
                if (chosen[j])
                {
                    total -= penalty[(i * Count) + j];
                }
            }
        }

        return total;
    }

    public void Dispose()
    {
        if (penalty is not null)
        {
            ArrayPool<double>.Shared.Return(penalty);
            penalty = null;
        }
    }

    private static double[]? BuildPenalties(SelectionProblem problem)
    {
        var n = problem.Relevance.Length;
        if (problem.Redundancy is not { } redundancy || problem.Lambda == 0 || n < 2)
        {
            return null;
        }

        var penalties = ArrayPool<double>.Shared.Rent(n * n);
        var any = false;
        for (var i = 0; i < n; i++)
        {
            penalties[(i * n) + i] = 0;
            for (var j = i + 1; j < n; j++)
            {
                var value = problem.Lambda * redundancy[(i * n) + j];
                penalties[(i * n) + j] = value;
                penalties[(j * n) + i] = value;
                any |= value > 0;
            }
        }

        if (!any)
        {
            ArrayPool<double>.Shared.Return(penalties);
            return null;
        }

        return penalties;
    }
}
