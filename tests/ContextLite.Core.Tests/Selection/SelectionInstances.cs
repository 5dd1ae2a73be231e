using ContextLite.Selection;

namespace ContextLite.Core.Tests.Selection;

/// <summary>Seeded random selection problems shaped like real ones: topical documents, cosine-like redundancy.</summary>
internal static class SelectionInstances
{
    private const int Dimensions = 16;

    /// <summary>
    /// <paramref name="n"/> candidates whose embeddings cluster around a few topics; relevance is the cosine to a
    /// query mapped to [0, 1], redundancy the positive part of the pairwise cosine.
    /// </summary>
    public static SelectionProblem Create(Random random, int n, int maxTokens = 8000, int maxItems = 15, double lambda = 0.5, int minTokens = 100, int maxTokensPerItem = 1500)
    {
        var topics = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => UnitVector(random, null, 0)).ToArray();
        var query = UnitVector(random, null, 0);
        var vectors = new float[n][];
        var relevance = new double[n];
        var tokens = new int[n];
        for (var i = 0; i < n; i++)
        {
            vectors[i] = UnitVector(random, topics[random.Next(topics.Length)], 0.6);
            relevance[i] = 0.5 + (0.5 * Dot(query, vectors[i]));
            tokens[i] = random.Next(minTokens, maxTokensPerItem + 1);
        }

        var redundancy = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var similarity = Math.Max(0f, Dot(vectors[i], vectors[j]));
                redundancy[(i * n) + j] = similarity;
                redundancy[(j * n) + i] = similarity;
            }
        }

        return new SelectionProblem(relevance, tokens, redundancy, maxTokens, maxItems, lambda);
    }

    /// <summary>A small problem with random constraints, so that budget, cap and λ each sometimes bind and sometimes not.</summary>
    public static SelectionProblem CreateVaried(Random random, int n)
    {
        var maxTokens = random.Next(0, 6000);
        var maxItems = random.Next(0, n + 2);
        var lambda = random.Next(4) == 0 ? 0 : random.NextDouble() * 2;
        return Create(random, n, maxTokens, maxItems, lambda);
    }

    /// <summary>Asserts that <paramref name="result"/> is a valid selection for <paramref name="problem"/>, honestly scored.</summary>
    public static void AssertFeasible(SelectionProblem problem, SelectionResult result)
    {
        var selected = result.Selected;
        Assert.True(selected.Count <= problem.MaxItems, $"{result.Solver} chose {selected.Count} items, cap {problem.MaxItems}.");
        var tokens = selected.Sum(i => (long)problem.Tokens[i]);
        Assert.True(tokens <= problem.MaxTokens, $"{result.Solver} used {tokens} tokens, budget {problem.MaxTokens}.");
        for (var a = 1; a < selected.Count; a++)
        {
            Assert.True(selected[a - 1] < selected[a], $"{result.Solver} returned indices that are not strictly ascending.");
        }

        Assert.All(selected, i => Assert.InRange(i, 0, problem.Count - 1));
        Assert.Equal(problem.Objective(selected.ToArray()), result.Objective, 12);
        Assert.True(result.Bound >= result.Objective, $"{result.Solver}: bound {result.Bound} below objective {result.Objective}.");
    }

    private static float[] UnitVector(Random random, float[]? around, double noise)
    {
        var vector = new float[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            vector[d] = around is null ? (float)gaussian : around[d] + (float)(noise * gaussian / Math.Sqrt(Dimensions));
        }

        var norm = MathF.Sqrt(Dot(vector, vector));
        for (var d = 0; d < Dimensions; d++)
        {
            vector[d] /= norm;
        }

        return vector;
    }

    private static float Dot(float[] a, float[] b)
    {
        var sum = 0f;
        for (var d = 0; d < a.Length; d++)
        {
            sum += a[d] * b[d];
        }

        return sum;
    }
}
