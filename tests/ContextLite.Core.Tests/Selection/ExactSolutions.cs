using ContextLite.Selection;

namespace ContextLite.Core.Tests.Selection;

/// <summary>Reference optima computed without any cleverness, to check the solvers against.</summary>
internal static class ExactSolutions
{
    /// <summary>The optimum by enumerating every subset (n ≤ 20).</summary>
    public static double BruteForce(SelectionProblem problem)
    {
        var n = problem.Count;
        Assert.InRange(n, 0, 20);
        var best = 0.0;
        var selected = new int[n];
        for (var mask = 1; mask < 1 << n; mask++)
        {
            var count = 0;
            long tokens = 0;
            for (var i = 0; i < n; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    selected[count++] = i;
                    tokens += problem.Tokens[i];
                }
            }

            if (count <= problem.MaxItems && tokens <= problem.MaxTokens)
            {
                best = Math.Max(best, problem.Objective(selected.AsSpan(0, count)));
            }
        }

        return best;
    }

    /// <summary>The optimum without redundancy: 0/1 knapsack with a cardinality constraint, by dynamic programming.</summary>
    public static double Knapsack(double[] relevance, int[] tokens, int maxTokens, int maxItems)
    {
        // best[c, t]: the most relevance from at most c items within t tokens.
        var best = new double[maxItems + 1, maxTokens + 1];
        for (var i = 0; i < relevance.Length; i++)
        {
            for (var c = maxItems; c >= 1; c--)
            {
                for (var t = maxTokens; t >= tokens[i]; t--)
                {
                    best[c, t] = Math.Max(best[c, t], best[c - 1, t - tokens[i]] + Math.Max(0, relevance[i]));
                }
            }
        }

        return best[maxItems, maxTokens];
    }
}
