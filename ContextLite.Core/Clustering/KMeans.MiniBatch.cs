using System.Buffers;
using System.Numerics.Tensors;

namespace ContextLite.Clustering;

public static partial class KMeans
{
    /// <summary>Consecutive batches that do not improve the best smoothed inertia by the tolerance before mini-batch stops.</summary>
    private const int MiniBatchPatience = 5;

    private static KMeansResult FitMiniBatch(
        ReadOnlySpan<float> vectors, int n, int dim, int k, KMeansOptions options, Random random,
        List<double>? inertiaTrace, CancellationToken ct)
    {
        int batchSize = Math.Min(options.MiniBatchSize, n);
        var centroids = new float[k * dim];
        SeedOnSample(vectors, n, dim, k, batchSize, random, centroids, ct);

        long[] seen = ArrayPool<long>.Shared.Rent(k);
        int[] batchCounts = ArrayPool<int>.Shared.Rent(k);
        float[] sums = ArrayPool<float>.Shared.Rent(k * dim);
        try
        {
            Span<long> counts = seen.AsSpan(0, k);
            counts.Clear();
            double alpha = Math.Min(1.0, 2.0 * batchSize / (n + 1.0));
            double smoothed = double.NaN;
            double best = double.PositiveInfinity;
            int stale = 0;
            int iterations = 0;
            bool converged = false;
            while (iterations < options.MaxIterations)
            {
                ct.ThrowIfCancellationRequested();
                double batchInertia = MiniBatchStep(
                    vectors, n, dim, centroids, k, batchSize, random, counts,
                    batchCounts.AsSpan(0, k), sums.AsSpan(0, k * dim));
                iterations++;

                double batchMean = batchInertia / batchSize;
                inertiaTrace?.Add(batchMean * n);
                smoothed = double.IsNaN(smoothed) ? batchMean : (smoothed * (1 - alpha)) + (batchMean * alpha);

                // Compared with the best smoothed value so far rather than the previous one, so that noise going
                // up and down around a plateau counts as no improvement.
                if (smoothed < best * (1 - options.Tolerance))
                {
                    best = smoothed;
                    stale = 0;
                }
                else if (++stale >= MiniBatchPatience)
                {
                    converged = true;
                    break;
                }
            }

            var assignments = new int[n];
            double inertia = AssignAll(vectors, n, dim, centroids, k, assignments, options.MiniBatchRefinements, options.Tolerance, ct);
            return new KMeansResult(centroids, k, dim, assignments, inertia, iterations, converged);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(seen);
            ArrayPool<int>.Shared.Return(batchCounts);
            ArrayPool<float>.Shared.Return(sums);
        }
    }

    /// <summary>
    /// One mini-batch: draw points with replacement, assign them, and move each touched centroid to the
    /// re-normalised <c>seen·c + Σ batch members</c> (the running mean with learning rate 1/count). Returns the
    /// batch's Σ(1 − cos) measured before the move.
    /// </summary>
    internal static double MiniBatchStep(
        ReadOnlySpan<float> vectors, int n, int dim, Span<float> centroids, int k, int batchSize, Random random,
        Span<long> seen, Span<int> batchCounts, Span<float> sums)
    {
        batchCounts.Clear();
        sums.Clear();
        double inertia = 0;
        for (int j = 0; j < batchSize; j++)
        {
            ReadOnlySpan<float> vector = vectors.Slice(random.Next(n) * dim, dim);
            int c = Nearest(vector, centroids, k, dim, out float dot);
            inertia += Cost(dot);
            Span<float> sum = sums.Slice(c * dim, dim);
            TensorPrimitives.Add(sum, vector, sum);
            batchCounts[c]++;
        }

        for (int c = 0; c < k; c++)
        {
            if (batchCounts[c] == 0)
            {
                continue;
            }

            Span<float> centroid = centroids.Slice(c * dim, dim);
            Span<float> sum = sums.Slice(c * dim, dim);
            TensorPrimitives.MultiplyAdd(centroid, (float)seen[c], sum, sum);
            seen[c] += batchCounts[c];
            NormalizeInto(sum, centroid);
        }

        return inertia;
    }

    /// <summary>k-means++ on a random sample of max(3·batch, 10·K) points (all of them when N is smaller).</summary>
    private static void SeedOnSample(
        ReadOnlySpan<float> vectors, int n, int dim, int k, int batchSize, Random random, Span<float> centroids, CancellationToken ct)
    {
        int sampleSize = (int)Math.Min(n, Math.Max(3L * batchSize, 10L * k));
        int[] order = ArrayPool<int>.Shared.Rent(n);
        float[] sample = ArrayPool<float>.Shared.Rent(sampleSize * dim);
        try
        {
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            // Partial Fisher–Yates: the first sampleSize slots become a uniform sample without replacement.
            for (int i = 0; i < sampleSize; i++)
            {
                int j = random.Next(i, n);
                (order[i], order[j]) = (order[j], order[i]);
                vectors.Slice(order[i] * dim, dim).CopyTo(sample.AsSpan(i * dim, dim));
            }

            SeedPlusPlus(sample.AsSpan(0, sampleSize * dim), sampleSize, dim, k, random, centroids, ct);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<float>.Shared.Return(sample);
        }
    }

    /// <summary>
    /// Assigns every point, runs up to <paramref name="refinements"/> full Lloyd steps from there (mini-batch
    /// leaves the centroids short of a Lloyd fixed point: on clustered data its inertia was 7–8% above Lloyd's
    /// without them, see the tests), re-seeds clusters that came out empty, reassigns once more if it did, and
    /// returns the inertia. Each step costs one pass over the data, like the assignment itself.
    /// </summary>
    private static double AssignAll(
        ReadOnlySpan<float> vectors, int n, int dim, Span<float> centroids, int k, int[] assignments,
        int refinements, double tolerance, CancellationToken ct)
    {
        float[] bestDots = ArrayPool<float>.Shared.Rent(n);
        int[] counts = ArrayPool<int>.Shared.Rent(k);
        float[] sums = ArrayPool<float>.Shared.Rent(k * dim);
        try
        {
            assignments.AsSpan().Fill(-1);
            double inertia = Assign(vectors, n, dim, centroids, k, assignments, bestDots.AsSpan(0, n), out _, ct);
            for (int step = 0; step < refinements; step++)
            {
                ct.ThrowIfCancellationRequested();
                UpdateCentroids(vectors, n, dim, assignments, centroids, k, sums.AsSpan(0, k * dim), counts.AsSpan(0, k));
                int reseeded = ReseedEmptyClusters(vectors, n, dim, assignments, centroids, counts.AsSpan(0, k), bestDots.AsSpan(0, n), refreshDistances: true);
                double next = Assign(vectors, n, dim, centroids, k, assignments, bestDots.AsSpan(0, n), out int changed, ct);
                bool stalled = changed + reseeded == 0 || inertia <= 0 || (inertia - next) / inertia < tolerance;
                inertia = next;
                if (stalled)
                {
                    break;
                }
            }

            return FinishEmptyClusters(vectors, n, dim, centroids, k, assignments, bestDots.AsSpan(0, n), counts.AsSpan(0, k), inertia, ct);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bestDots);
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<float>.Shared.Return(sums);
        }
    }

    /// <summary>
    /// After the last assignment: clusters left empty get the farthest points (see
    /// <see cref="ReseedEmptyClusters"/>) and everyone is reassigned once, which can only lower the inertia.
    /// Identical points can still leave clusters empty: nearest-centroid assignment cannot split them.
    /// </summary>
    private static double FinishEmptyClusters(
        ReadOnlySpan<float> vectors, int n, int dim, Span<float> centroids, int k, int[] assignments,
        Span<float> bestDots, Span<int> counts, double inertia, CancellationToken ct)
    {
        counts.Clear();
        foreach (int c in assignments)
        {
            counts[c]++;
        }

        if (!counts.Contains(0))
        {
            return inertia;
        }

        _ = ReseedEmptyClusters(vectors, n, dim, assignments, centroids, counts, bestDots, refreshDistances: false);
        return Assign(vectors, n, dim, centroids, k, assignments, bestDots, out _, ct);
    }
}
