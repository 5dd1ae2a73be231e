namespace ContextLite.Selection;

/// <summary>The selection model stated to Z3 (see <see cref="Z3Selector"/>), and the reading of Z3's answer back.</summary>
internal sealed class Z3SelectionModel
{
    private readonly int[] candidates;
    private readonly IntPtr[] variables;
    private readonly uint objective;
    private readonly bool hasObjective;
    private readonly double relevanceSum;

    private Z3SelectionModel(int[] candidates, IntPtr[] variables, uint objective, bool hasObjective, double relevanceSum)
    {
        this.candidates = candidates;
        this.variables = variables;
        this.objective = objective;
        this.hasObjective = hasObjective;
        this.relevanceSum = relevanceSum;
    }

    public static Z3SelectionModel Build(Z3Optimization z3, SelectionModel model)
    {
        var candidates = Enumerable.Range(0, model.Count)
            .Where(k => model.Relevance[k] > 0 && model.Tokens[k] <= model.MaxTokens)
            .ToArray();
        var variables = candidates.Select(z3.NewBool).ToArray();
        var tokens = candidates.Select(k => model.Tokens[k]).ToArray();
        if (tokens.Sum(t => (long)t) > model.MaxTokens)
        {
            z3.Assert(z3.AtMostWeighted(variables, tokens, model.MaxTokens));
        }

        if (candidates.Length > model.MaxItems)
        {
            z3.Assert(z3.AtMost(variables, model.MaxItems));
        }

        var objective = 0u;
        var relevanceSum = 0.0;
        for (var a = 0; a < candidates.Length; a++)
        {
            var relevance = model.Relevance[candidates[a]];
            relevanceSum += relevance;
            objective = z3.AssertSoft(variables[a], relevance);
        }

        // The penalty of a pair is the soft clause ¬x_a ∨ ¬x_b: violated exactly when both are chosen.
        var negated = variables.Select(z3.Not).ToArray();
        for (var a = 0; a < candidates.Length && model.HasPenalty; a++)
        {
            for (var b = a + 1; b < candidates.Length; b++)
            {
                var penalty = model.Penalty(candidates[a], candidates[b]);
                if (penalty > 0)
                {
                    objective = z3.AssertSoft(z3.Or(negated[a], negated[b]), penalty);
                }
            }
        }

        return new Z3SelectionModel(candidates, variables, objective, candidates.Length > 0, relevanceSum);
    }

    /// <summary>Flags the candidates Z3's model chooses; false (and nothing flagged) when there is no usable model.</summary>
    public bool Read(Z3Optimization z3, SelectionModel model, Span<bool> flags)
    {
        flags.Clear();
        var values = new bool[variables.Length];
        if (!z3.TryReadModel(variables, values))
        {
            return false;
        }

        long tokens = 0;
        var count = 0;
        for (var a = 0; a < values.Length; a++)
        {
            if (values[a])
            {
                flags[candidates[a]] = true;
                tokens += model.Tokens[candidates[a]];
                count++;
            }
        }

        // Z3's model satisfies the hard constraints; this guards against a binding mistake ever leaking out.
        if (tokens > model.MaxTokens || count > model.MaxItems)
        {
            flags.Clear();
            return false;
        }

        return true;
    }

    /// <summary>
    /// The upper bound on the objective that Z3 has proven so far: the MaxSAT cost is Σ relevance − objective, so a
    /// proven lower end of the cost is a proven upper end of the objective.
    /// </summary>
    public double? ProvenBound(Z3Optimization z3) => hasObjective ? relevanceSum - z3.CostLowerBound(objective) : 0;
}
