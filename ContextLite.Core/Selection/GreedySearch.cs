using System.Buffers;

namespace ContextLite.Selection;

/// <summary>
/// Best-of-two greedy construction followed by 1-swap local search; the incumbent of
/// <see cref="BranchAndBoundSelector"/> and the whole of <see cref="GreedySelector"/>.
/// </summary>
/// <remarks>
/// <para>
/// The marginal gain of adding candidate <c>i</c> to a selection <c>S</c> is
/// <c>relevance_i − Σ_{j∈S} λ·redundancy_ij</c>; each pass keeps the gain of every candidate current, so adding or
/// removing one candidate costs one row update. Pass (a) adds the fitting candidate with the best gain per token,
/// pass (b) the one with the best gain (MMR-like); both stop when no fitting candidate has a positive gain. Which
/// pass wins flips with λ and the token spread, so both run (see PLATFORM.md).
/// </para>
/// <para>
/// Local search then applies the best improving move until none is left: add one candidate (gain <c>g_k</c>), remove
/// one (<c>−g_i</c>), or swap one chosen <c>i</c> for one unchosen <c>k</c> (<c>g_k + λ·redundancy_ik − g_i</c>,
/// since <c>g_k</c> still counts the penalty against <c>i</c>). Moves must improve by more than a relative 1e-12,
/// so the search cannot cycle on rounding noise, and the number of moves is capped as a last guard.
/// </para>
/// </remarks>
internal static class GreedySearch
{
    /// <summary>Runs both passes with local search; flags the better selection in <paramref name="best"/> and returns its objective.</summary>
    public static double Solve(SelectionModel model, Span<bool> best)
    {
        var n = model.Count;
        best.Clear();
        if (n == 0 || model.MaxItems == 0)
        {
            return 0;
        }

        var gains = ArrayPool<double>.Shared.Rent(2 * n);
        var flags = ArrayPool<bool>.Shared.Rent(2 * n);
        var members = ArrayPool<int>.Shared.Rent(2 * n);
        try
        {
            var byRatio = new Pass(flags.AsSpan(0, n), gains.AsSpan(0, n), members.AsSpan(0, n));
            byRatio.Run(model, perToken: true);
            var byGain = new Pass(flags.AsSpan(n, n), gains.AsSpan(n, n), members.AsSpan(n, n));
            byGain.Run(model, perToken: false);

            var winner = byGain.Objective > byRatio.Objective ? byGain : byRatio;
            winner.Chosen.CopyTo(best);
            return winner.Objective;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(members);
            ArrayPool<bool>.Shared.Return(flags);
            ArrayPool<double>.Shared.Return(gains);
        }
    }

    /// <summary>The smallest change in objective that counts as an improvement.</summary>
    public static double Tolerance(double objective) => 1e-12 * Math.Max(1, Math.Abs(objective));

    /// <summary>One greedy pass and its local search, over caller-owned buffers.</summary>
    private ref struct Pass(Span<bool> chosen, Span<double> gains, Span<int> members)
    {
        public readonly Span<bool> Chosen = chosen;
        private readonly Span<double> gains = gains;
        private readonly Span<int> members = members;
        private int count;
        private int used;

        public double Objective { get; private set; }

        public void Run(SelectionModel model, bool perToken)
        {
            Chosen.Clear();
            model.Relevance.CopyTo(gains);
            count = 0;
            used = 0;
            Objective = 0;
            Construct(model, perToken);
            Improve(model);
        }

        private void Construct(SelectionModel model, bool perToken)
        {
            var tokens = model.Tokens;
            while (count < model.MaxItems)
            {
                var room = model.MaxTokens - used;
                var pick = -1;
                var pickKey = 0.0;
                for (var k = 0; k < gains.Length; k++)
                {
                    if (Chosen[k] || gains[k] <= 0 || tokens[k] > room)
                    {
                        continue;
                    }

                    var key = perToken ? gains[k] / tokens[k] : gains[k];
                    if (pick < 0 || key > pickKey)
                    {
                        pick = k;
                        pickKey = key;
                    }
                }

                if (pick < 0)
                {
                    return;
                }

                Add(model, pick);
            }
        }

        private void Improve(SelectionModel model)
        {
            var tokens = model.Tokens;
            var relevance = model.Relevance;
            for (var moves = 0; moves < (4 * gains.Length) + 16; moves++)
            {
                var room = model.MaxTokens - used;
                var bestDelta = Tolerance(Objective);
                var add = -1;
                var remove = -1;

                for (var k = 0; k < gains.Length && count < model.MaxItems; k++)
                {
                    if (!Chosen[k] && gains[k] > bestDelta && tokens[k] <= room)
                    {
                        (bestDelta, add) = (gains[k], k);
                    }
                }

                for (var m = 0; m < count; m++)
                {
                    if (-gains[members[m]] > bestDelta)
                    {
                        (bestDelta, add, remove) = (-gains[members[m]], -1, members[m]);
                    }
                }

                for (var k = 0; k < gains.Length; k++)
                {
                    if (Chosen[k] || relevance[k] <= 0)
                    {
                        continue;
                    }

                    for (var m = 0; m < count; m++)
                    {
                        var i = members[m];
                        if (tokens[k] - tokens[i] > room)
                        {
                            continue;
                        }

                        var delta = gains[k] + model.Penalty(i, k) - gains[i];
                        if (delta > bestDelta)
                        {
                            (bestDelta, add, remove) = (delta, k, i);
                        }
                    }
                }

                if (add < 0 && remove < 0)
                {
                    return;
                }

                if (remove >= 0)
                {
                    Remove(model, remove);
                }

                if (add >= 0)
                {
                    Add(model, add);
                }
            }
        }

        private void Add(SelectionModel model, int k)
        {
            Objective += gains[k];
            Chosen[k] = true;
            members[count++] = k;
            used += model.Tokens[k];
            if (model.HasPenalty)
            {
                var row = model.PenaltyRow(k);
                for (var j = 0; j < gains.Length; j++)
                {
                    gains[j] -= row[j];
                }
            }
        }

        private void Remove(SelectionModel model, int k)
        {
            Objective -= gains[k];
            Chosen[k] = false;
            members[members[..count].IndexOf(k)] = members[--count];
            used -= model.Tokens[k];
            if (model.HasPenalty)
            {
                var row = model.PenaltyRow(k);
                for (var j = 0; j < gains.Length; j++)
                {
                    gains[j] += row[j];
                }
            }
        }
    }
}
