using System.Buffers;
using System.Numerics.Tensors;

namespace ContextLite.Clustering;

public static partial class KMeans
{
    /// <summary>
    /// k-means++ seeding: the first centroid uniformly, each next one with probability proportional to its
    /// distance 1 − cos (= ½D²) to the nearest centroid chosen so far.
    /// </summary>
    private static void SeedPlusPlus(
        ReadOnlySpan<float> vectors, int n, int dim, int k, Random random, Span<float> centroids, CancellationToken ct)
    {
        double[] minCost = ArrayPool<double>.Shared.Rent(n);
        try
        {
            int first = random.Next(n);
            NormalizeInto(vectors.Slice(first * dim, dim), centroids[..dim]);
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                double cost = Cost(TensorPrimitives.Dot(vectors.Slice(i * dim, dim), centroids[..dim]));
                minCost[i] = cost;
                total += cost;
            }

            for (int c = 1; c < k; c++)
            {
                ct.ThrowIfCancellationRequested();
                int pick = total > 0 ? DrawWeighted(minCost.AsSpan(0, n), total, random) : random.Next(n);
                Span<float> centroid = centroids.Slice(c * dim, dim);
                NormalizeInto(vectors.Slice(pick * dim, dim), centroid);

                total = 0;
                for (int i = 0; i < n; i++)
                {
                    double cost = Cost(TensorPrimitives.Dot(vectors.Slice(i * dim, dim), centroid));
                    if (cost < minCost[i])
                    {
                        minCost[i] = cost;
                    }

                    total += minCost[i];
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(minCost);
        }
    }

    /// <summary>Draws an index with probability weight/total; never returns a zero-weight index.</summary>
    private static int DrawWeighted(ReadOnlySpan<double> weights, double total, Random random)
    {
        double target = random.NextDouble() * total;
        double running = 0;
        int lastPositive = -1;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            lastPositive = i;
            running += weights[i];
            if (running > target)
            {
                return i;
            }
        }

        // Rounding can leave the running sum a hair below the target: the last positive weight takes it.
        return lastPositive >= 0 ? lastPositive : random.Next(weights.Length);
    }
}
