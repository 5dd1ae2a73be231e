using ContextLite.Selection;

namespace ContextLite.Benchmarks.Selection;

/// <summary>
/// Seeded selection problems shaped like real ones (the same recipe as the solver tests): candidate embeddings are
/// random unit vectors clustered around one to six random topics, relevance is the cosine to a random query mapped to
/// [0, 1], redundancy the positive part of the pairwise cosine, tokens uniform in 100–1,500.
/// </summary>
internal static class SolverInstances
{
    private const int Dimensions = 16;
    private const double TopicNoise = 0.6;

    public static SelectionProblem Create(Random random, int n)
    {
        var topics = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => UnitVector(random, null)).ToArray();
        var query = UnitVector(random, null);
        var vectors = new float[n][];
        var relevance = new double[n];
        var tokens = new int[n];
        for (var i = 0; i < n; i++)
        {
            vectors[i] = UnitVector(random, topics[random.Next(topics.Length)]);
            relevance[i] = 0.5 + (0.5 * Dot(query, vectors[i]));
            tokens[i] = random.Next(SolverSettings.MinItemTokens, SolverSettings.MaxItemTokens + 1);
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

        return new SelectionProblem(relevance, tokens, redundancy, SolverSettings.MaxTokens, SolverSettings.MaxItems, SolverSettings.Lambda);
    }

    private static float[] UnitVector(Random random, float[]? around)
    {
        var vector = new float[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            vector[d] = around is null ? (float)gaussian : around[d] + (float)(TopicNoise * gaussian / Math.Sqrt(Dimensions));
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
