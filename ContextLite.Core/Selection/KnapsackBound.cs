using System.Buffers;

namespace ContextLite.Selection;

/// <summary>
/// The upper bound every solver proves with: the linear relaxation of "choose from these candidates, each worth its
/// (optimistic) gain", relaxed once per constraint.
/// </summary>
/// <remarks>
/// Dropping the item cap leaves a fractional knapsack over tokens, solved exactly by taking candidates in order of
/// gain per token and a fraction of the first that does not fit (Dantzig). Dropping the token budget leaves "the
/// <c>k</c> largest gains". Both relaxations contain every feasible completion, so the smaller of the two is a valid
/// bound. (Filling the knapsack by ratio and stopping at the cap is not: one large, valuable candidate can beat the
/// <c>k</c> best ratios.) The top-<c>k</c> sum is only computed when the knapsack solution uses more than <c>k</c>
/// candidates, the only case in which it can be smaller.
/// </remarks>
internal static class KnapsackBound
{
    /// <summary>
    /// The bound over <paramref name="candidates"/>, which must be sorted by gain per token (descending), each with a
    /// positive gain and fitting <paramref name="tokenBudget"/>. <paramref name="top"/> is scratch space of at least
    /// <paramref name="itemBudget"/> entries (or the number of candidates, whichever is smaller).
    /// </summary>
    public static double Compute(
        ReadOnlySpan<int> candidates, ReadOnlySpan<double> gains, ReadOnlySpan<int> tokens, int tokenBudget, int itemBudget, Span<double> top)
    {
        if (itemBudget <= 0 || tokenBudget <= 0)
        {
            return 0;
        }

        var total = 0.0;
        var room = tokenBudget;
        var used = 0;
        foreach (var k in candidates)
        {
            used++;
            if (tokens[k] <= room)
            {
                total += gains[k];
                room -= tokens[k];
                if (room == 0)
                {
                    break;
                }
            }
            else
            {
                total += gains[k] * room / tokens[k];
                break;
            }
        }

        return used <= itemBudget ? total : Math.Min(total, TopSum(candidates, gains, itemBudget, top));
    }

    /// <summary>The bound at the root: no candidate chosen, gains are the relevances.</summary>
    public static double Root(SelectionModel model)
    {
        var n = model.Count;
        var order = ArrayPool<int>.Shared.Rent(n);
        var keys = ArrayPool<double>.Shared.Rent(Math.Max(n, 1));
        try
        {
            var m = RootCandidates(model, order, keys);
            return Compute(order.AsSpan(0, m), model.Relevance, model.Tokens, model.MaxTokens, model.MaxItems, keys);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>
    /// Writes the candidates that can be part of an improving selection (positive relevance, fitting the budget)
    /// into <paramref name="order"/>, by relevance per token descending; returns how many. <paramref name="keys"/> is scratch.
    /// </summary>
    public static int RootCandidates(SelectionModel model, Span<int> order, Span<double> keys)
    {
        var m = 0;
        for (var k = 0; k < model.Count; k++)
        {
            if (model.Relevance[k] > 0 && model.Tokens[k] <= model.MaxTokens)
            {
                order[m] = k;
                keys[m] = -model.Relevance[k] / model.Tokens[k];
                m++;
            }
        }

        // Ascending by negated ratio = descending by ratio; ties keep no particular order, which only affects speed.
        keys[..m].Sort(order[..m]);
        return m;
    }

    private static double TopSum(ReadOnlySpan<int> candidates, ReadOnlySpan<double> gains, int count, Span<double> top)
    {
        // A sorted (ascending) buffer of the largest gains seen so far; count is small (the item cap).
        var filled = 0;
        foreach (var k in candidates)
        {
            var g = gains[k];
            if (filled < count)
            {
                var at = filled++;
                while (at > 0 && top[at - 1] > g)
                {
                    top[at] = top[at - 1];
                    at--;
                }

                top[at] = g;
            }
            else if (g > top[0])
            {
                var at = 0;
                while (at + 1 < filled && top[at + 1] < g)
                {
                    top[at] = top[at + 1];
                    at++;
                }

                top[at] = g;
            }
        }

        var sum = 0.0;
        for (var i = 0; i < filled; i++)
        {
            sum += top[i];
        }

        return sum;
    }
}
