using System.Numerics.Tensors;

namespace ContextLite.Clustering;

/// <summary>Spherical k-means over L2-normalised vectors: the trainer of the IVF router.</summary>
/// <remarks>
/// <para>
/// <b>Objective.</b> Vectors and centroids live on the unit sphere and the cost of a vector is
/// <c>1 − dot(v, c)</c> (= ½‖v − c‖² for unit vectors), so the inertia Σ(1 − cos) is half the Euclidean
/// k-means objective restricted to the sphere. For a fixed assignment the best unit centroid of a cluster is
/// its vector sum re-normalised (it maximises Σ v·c under ‖c‖ = 1), which is why centroids are re-normalised
/// after every update.
/// </para>
/// <para>
/// <b>Seeding.</b> k-means++ (Arthur &amp; Vassilvitskii, 2007): the first centroid is a uniformly drawn point,
/// each next one is drawn with probability proportional to its cost against the nearest centroid chosen so far
/// (the D² rule, since 1 − cos is ½D²). Points identical to a chosen centroid have weight 0, so duplicates are
/// not chosen twice while other points remain.
/// </para>
/// <para>
/// <b>Lloyd iterations</b> (N ≤ <see cref="KMeansOptions.MiniBatchThreshold"/>): update then assign.
/// Neither step can raise the inertia (assignment picks the nearest centroid, the update picks the best unit
/// centroid for each cluster), so the objective never rises. A cluster left empty is re-seeded with the point
/// farthest from its own centroid, taken from a cluster that keeps at least one member: that point's cost drops
/// to 0 and no one else's changes, so re-seeding also never raises the objective. Iteration stops when the
/// relative improvement falls below <see cref="KMeansOptions.Tolerance"/>, when no assignment changes, or at
/// <see cref="KMeansOptions.MaxIterations"/>.
/// </para>
/// <para>
/// <b>Mini-batch</b> (N above the threshold; Sculley, 2010): seeding runs on a random sample of
/// max(3·batch, 10·K) points, then each
/// iteration draws <see cref="KMeansOptions.MiniBatchSize"/> points with replacement, assigns them, and moves
/// each touched centroid towards the batch mean with a per-centroid learning rate 1/count (its running member
/// count), re-normalising afterwards. The batch inertia is noisy, so the stopping rule watches its exponentially
/// weighted average and stops after a few consecutive batches that do not improve its best value so far by the
/// relative tolerance (the rule of scikit-learn's MiniBatchKMeans).
/// A final full pass assigns every point, then up to <see cref="KMeansOptions.MiniBatchRefinements"/> full Lloyd
/// steps polish the centroids (each never raises the inertia), and clusters that came out empty are re-seeded.
/// </para>
/// <para>
/// <b>Determinism.</b> All randomness comes from one <see cref="Random"/> seeded with
/// <see cref="KMeansOptions.Seed"/>, the passes are sequential, ties go to the lower cluster index and sums of
/// costs are accumulated in a fixed order, so a seed gives the same result on every run. Across machines the
/// SIMD width of <see cref="TensorPrimitives"/> can change the last bits of a dot product, and with them a tie.
/// </para>
/// </remarks>
public static partial class KMeans
{
    /// <summary>How often the long passes look at the cancellation token (in points).</summary>
    private const int CancellationStride = 4096;

    /// <summary>Clusters <paramref name="vectors"/> (N×<paramref name="dimension"/>, row-major, L2-normalised).</summary>
    /// <param name="vectors">The vectors, row-major; their length must be a multiple of <paramref name="dimension"/>.</param>
    /// <param name="dimension">The vector dimension.</param>
    /// <param name="options">K (0 = ⌈√N⌉, clamped to [1, N]), seed, iteration cap, tolerance and mini-batch settings.</param>
    /// <param name="ct">Cancels between iterations and inside long passes.</param>
    /// <returns>Unit-norm centroids, the cluster of every input vector, the inertia Σ(1 − cos) and how it stopped.
    /// With no vectors, K is 0 and every array is empty.</returns>
    public static KMeansResult Fit(ReadOnlySpan<float> vectors, int dimension, KMeansOptions options, CancellationToken ct = default)
        => Fit(vectors, dimension, options, inertiaTrace: null, ct);

    /// <summary>As <see cref="Fit(ReadOnlySpan{float}, int, KMeansOptions, CancellationToken)"/>, recording the
    /// inertia after seeding and after every iteration (the mini-batch path records its batch estimate scaled to N).</summary>
    internal static KMeansResult Fit(
        ReadOnlySpan<float> vectors, int dimension, KMeansOptions options, List<double>? inertiaTrace, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (vectors.Length % dimension != 0)
        {
            throw new ArgumentException($"The vector buffer ({vectors.Length} floats) is not a multiple of the dimension ({dimension}).", nameof(vectors));
        }

        Validate(options);
        int n = vectors.Length / dimension;
        if (n == 0)
        {
            return new KMeansResult([], 0, dimension, [], 0, 0, Converged: true);
        }

        int k = ResolveK(options.K, n);
        var random = new Random(options.Seed);
        return n > options.MiniBatchThreshold
            ? FitMiniBatch(vectors, n, dimension, k, options, random, inertiaTrace, ct)
            : FitLloyd(vectors, n, dimension, k, options, random, inertiaTrace, ct);
    }

    /// <summary>The number of clusters used for <paramref name="n"/> vectors: the request, or ⌈√N⌉ for 0, clamped to [1, N].</summary>
    public static int ResolveK(int requested, int n)
    {
        if (n <= 0)
        {
            return 0;
        }

        int k = requested > 0 ? requested : (int)Math.Ceiling(Math.Sqrt(n));
        return Math.Clamp(k, 1, n);
    }

    private static void Validate(KMeansOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.K, "options.K");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxIterations, "options.MaxIterations");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MiniBatchSize, "options.MiniBatchSize");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MiniBatchThreshold, "options.MiniBatchThreshold");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MiniBatchRefinements, "options.MiniBatchRefinements");
        if (!(options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException("options.Tolerance", options.Tolerance, "The tolerance must be zero or positive.");
        }
    }

    /// <summary>Writes <paramref name="source"/> / ‖source‖ into <paramref name="destination"/> (a zero vector is copied as is).</summary>
    private static void NormalizeInto(ReadOnlySpan<float> source, Span<float> destination)
    {
        float norm = TensorPrimitives.Norm(source);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(source, norm, destination);
        }
        else
        {
            source.CopyTo(destination);
        }
    }
}
