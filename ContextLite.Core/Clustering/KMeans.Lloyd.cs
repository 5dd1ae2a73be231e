using System.Buffers;
using System.Numerics.Tensors;

namespace ContextLite.Clustering;

public static partial class KMeans
{
    private static KMeansResult FitLloyd(
        ReadOnlySpan<float> vectors, int n, int dim, int k, KMeansOptions options, Random random,
        List<double>? inertiaTrace, CancellationToken ct)
    {
        var centroids = new float[k * dim];
        var assignments = new int[n];
        float[] bestDots = ArrayPool<float>.Shared.Rent(n);
        float[] sums = ArrayPool<float>.Shared.Rent(k * dim);
        int[] counts = ArrayPool<int>.Shared.Rent(k);
        try
        {
            SeedPlusPlus(vectors, n, dim, k, random, centroids, ct);
            assignments.AsSpan().Fill(-1);
            double inertia = Assign(vectors, n, dim, centroids, k, assignments, bestDots.AsSpan(0, n), out _, ct);
            inertiaTrace?.Add(inertia);

            int iterations = 0;
            bool converged = false;
            while (iterations < options.MaxIterations)
            {
                ct.ThrowIfCancellationRequested();
                UpdateCentroids(vectors, n, dim, assignments, centroids, k, sums.AsSpan(0, k * dim), counts.AsSpan(0, k));
                int reseeded = ReseedEmptyClusters(vectors, n, dim, assignments, centroids, counts.AsSpan(0, k), bestDots.AsSpan(0, n), refreshDistances: true);
                double next = Assign(vectors, n, dim, centroids, k, assignments, bestDots.AsSpan(0, n), out int changed, ct);
                iterations++;
                inertiaTrace?.Add(next);
                bool stalled = changed + reseeded == 0 || inertia <= 0 || (inertia - next) / inertia < options.Tolerance;
                inertia = next;
                if (stalled)
                {
                    converged = true;
                    break;
                }
            }

            inertia = FinishEmptyClusters(vectors, n, dim, centroids, k, assignments, bestDots.AsSpan(0, n), counts.AsSpan(0, k), inertia, ct);
            return new KMeansResult(centroids, k, dim, assignments, inertia, iterations, converged);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bestDots);
            ArrayPool<float>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Assigns every vector to its nearest centroid (ties to the lower index) and returns Σ(1 − best dot).</summary>
    internal static double Assign(
        ReadOnlySpan<float> vectors, int n, int dim, ReadOnlySpan<float> centroids, int k,
        Span<int> assignments, Span<float> bestDots, out int changed, CancellationToken ct)
    {
        double inertia = 0;
        changed = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % CancellationStride == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            int best = Nearest(vectors.Slice(i * dim, dim), centroids, k, dim, out float bestDot);
            if (assignments[i] != best)
            {
                assignments[i] = best;
                changed++;
            }

            bestDots[i] = bestDot;
            inertia += Cost(bestDot);
        }

        return inertia;
    }

    /// <summary>The index of the centroid with the largest dot product (the lowest index on ties).</summary>
    internal static int Nearest(ReadOnlySpan<float> vector, ReadOnlySpan<float> centroids, int k, int dim, out float bestDot)
    {
        int best = 0;
        bestDot = float.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            float dot = TensorPrimitives.Dot(vector, centroids.Slice(c * dim, dim));
            if (dot > bestDot)
            {
                bestDot = dot;
                best = c;
            }
        }

        return best;
    }

    /// <summary>1 − cos, clamped at 0 (rounding can push a dot of identical unit vectors just above 1).</summary>
    private static double Cost(float dot) => Math.Max(0.0, 1.0 - dot);

    /// <summary>Each non-empty cluster's centroid becomes its re-normalised vector sum; <paramref name="counts"/> gets the sizes.</summary>
    internal static void UpdateCentroids(
        ReadOnlySpan<float> vectors, int n, int dim, ReadOnlySpan<int> assignments, Span<float> centroids, int k,
        Span<float> sums, Span<int> counts)
    {
        sums.Clear();
        counts.Clear();
        for (int i = 0; i < n; i++)
        {
            int c = assignments[i];
            Span<float> sum = sums.Slice(c * dim, dim);
            TensorPrimitives.Add(sum, vectors.Slice(i * dim, dim), sum);
            counts[c]++;
        }

        for (int c = 0; c < k; c++)
        {
            // A zero sum (members cancel out) leaves every unit centroid equally good: keep the old one.
            if (counts[c] > 0)
            {
                NormalizeInto(sums.Slice(c * dim, dim), centroids.Slice(c * dim, dim));
            }
        }
    }

    /// <summary>
    /// Gives every empty cluster the point farthest from its own centroid, taken only from clusters that keep at
    /// least one member, and moves that point to it. With <paramref name="refreshDistances"/>, the distances are
    /// first recomputed against the current centroids (they were measured before the last update).
    /// </summary>
    /// <returns>How many clusters were re-seeded.</returns>
    private static int ReseedEmptyClusters(
        ReadOnlySpan<float> vectors, int n, int dim, Span<int> assignments, Span<float> centroids,
        Span<int> counts, Span<float> bestDots, bool refreshDistances)
    {
        if (!counts.Contains(0))
        {
            return 0;
        }

        if (refreshDistances)
        {
            for (int i = 0; i < n; i++)
            {
                bestDots[i] = TensorPrimitives.Dot(vectors.Slice(i * dim, dim), centroids.Slice(assignments[i] * dim, dim));
            }
        }

        int reseeded = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] != 0)
            {
                continue;
            }

            int far = -1;
            float farDot = float.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                if (counts[assignments[i]] > 1 && bestDots[i] < farDot)
                {
                    farDot = bestDots[i];
                    far = i;
                }
            }

            if (far < 0)
            {
                break; // Only when every cluster has one member, which K ≤ N rules out while one is empty.
            }

            counts[assignments[far]]--;
            assignments[far] = c;
            counts[c] = 1;
            bestDots[far] = 1f;
            NormalizeInto(vectors.Slice(far * dim, dim), centroids.Slice(c * dim, dim));
            reseeded++;
        }

        return reseeded;
    }
}
