using System.Numerics.Tensors;
using ContextLite.Clustering;

namespace ContextLite.Core.Tests.Clustering;

public sealed class KMeansTests
{
    private const int Dim = 16;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_LloydIterations_InertiaNeverRises(int seed)
    {
        // Arrange: overlapping clusters so that it takes many iterations to settle.
        var (data, _, _) = SyntheticVectors.Clustered(new Random(seed), 3000, Dim, 12, noise: 0.4f);
        var trace = new List<double>();

        // Act
        var result = KMeans.Fit(data, Dim, new KMeansOptions(K: 30, Seed: seed, MaxIterations: 50, Tolerance: 0), trace, default);

        // Assert: one value after seeding plus one per iteration, never rising (beyond float rounding).
        Assert.Equal(result.Iterations + 1, trace.Count);
        Assert.True(result.Iterations > 2, $"only {result.Iterations} iterations");
        for (int i = 1; i < trace.Count; i++)
        {
            Assert.True(trace[i] <= trace[i - 1] * (1 + 1e-6), $"inertia rose at iteration {i}: {trace[i - 1]} → {trace[i]}");
        }

        Assert.True(result.Inertia <= trace[^1] * (1 + 1e-6));
        Assert.Equal(Inertia(data, result), result.Inertia, 3);
    }

    [Fact]
    public void Fit_MaxIterationsOneToN_InertiaNeverRises()
    {
        // Arrange
        var (data, _, _) = SyntheticVectors.Clustered(new Random(7), 2000, Dim, 10, noise: 0.45f);
        double previous = double.MaxValue;

        for (int iterations = 1; iterations <= 12; iterations++)
        {
            // Act: the same seed, stopped after more and more iterations.
            var result = KMeans.Fit(data, Dim, new KMeansOptions(K: 25, Seed: 7, MaxIterations: iterations, Tolerance: 0));

            // Assert
            Assert.True(result.Inertia <= previous * (1 + 1e-6), $"inertia rose with MaxIterations = {iterations}");
            previous = result.Inertia;
        }
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(500)]
    public void Fit_SameSeed_ReturnsIdenticalResults(int miniBatchThreshold)
    {
        // Arrange
        var (data, _, _) = SyntheticVectors.Clustered(new Random(11), 2000, Dim, 10, noise: 0.3f);
        var options = new KMeansOptions(Seed: 5, MiniBatchThreshold: miniBatchThreshold, MiniBatchSize: 256);

        // Act
        var first = KMeans.Fit(data, Dim, options);
        var second = KMeans.Fit(data, Dim, options);
        var otherSeed = KMeans.Fit(data, Dim, options with { Seed = 6 });

        // Assert
        Assert.Equal(first.Centroids, second.Centroids);
        Assert.Equal(first.Assignments, second.Assignments);
        Assert.Equal(first.Inertia, second.Inertia);
        Assert.Equal(first.Iterations, second.Iterations);
        Assert.NotEqual(first.Centroids, otherSeed.Centroids);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(500)]
    public void Fit_WellSeparatedClusters_RecoversThem(int miniBatchThreshold)
    {
        // Arrange: 8 tight clusters in 16 dimensions (points have cosine ≈ 0.9 to their centre, centres ≈ 0 to each other).
        const int Clusters = 8;
        var (data, labels, _) = SyntheticVectors.Clustered(new Random(3), 1600, Dim, Clusters, noise: 0.08f);
        var options = new KMeansOptions(K: Clusters, Seed: 42, MiniBatchThreshold: miniBatchThreshold, MiniBatchSize: 256);

        // Act
        var result = KMeans.Fit(data, Dim, options);

        // Assert: a one-to-one map between found and true clusters.
        var foundForLabel = new int[Clusters];
        Array.Fill(foundForLabel, -1);
        for (int i = 0; i < labels.Length; i++)
        {
            if (foundForLabel[labels[i]] < 0)
            {
                foundForLabel[labels[i]] = result.Assignments[i];
            }

            Assert.Equal(foundForLabel[labels[i]], result.Assignments[i]);
        }

        Assert.Equal(Clusters, foundForLabel.Distinct().Count());
        Assert.True(result.Converged);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(49, 7)]
    [InlineData(50, 8)]
    [InlineData(1000, 32)]
    public void Fit_DefaultK_IsCeilingOfSquareRootOfN(int n, int expectedK)
    {
        // Arrange
        var data = SyntheticVectors.Uniform(new Random(n), n, Dim);

        // Act
        var result = KMeans.Fit(data, Dim, new KMeansOptions());

        // Assert
        Assert.Equal(expectedK, result.K);
        Assert.Equal(expectedK * Dim, result.Centroids.Length);
        Assert.Equal(n, result.Assignments.Length);
    }

    [Fact]
    public void Fit_FewerPointsThanK_UsesOneClusterPerPoint()
    {
        // Arrange
        var data = SyntheticVectors.Uniform(new Random(1), 3, Dim);

        // Act
        var result = KMeans.Fit(data, Dim, new KMeansOptions(K: 10));

        // Assert
        Assert.Equal(3, result.K);
        Assert.Equal(3, result.Assignments.Distinct().Count());
        Assert.Equal(0, result.Inertia, 5);
    }

    [Fact]
    public void Fit_DuplicatePoints_ReturnsValidUnitCentroids()
    {
        // Arrange: 3 distinct points, each repeated 40 times, and more clusters than distinct points.
        var distinct = SyntheticVectors.Uniform(new Random(2), 3, Dim);
        var data = new float[120 * Dim];
        for (int i = 0; i < 120; i++)
        {
            distinct.AsSpan((i % 3) * Dim, Dim).CopyTo(data.AsSpan(i * Dim, Dim));
        }

        // Act
        var result = KMeans.Fit(data, Dim, new KMeansOptions(K: 5, Seed: 9));

        // Assert
        Assert.Equal(5, result.K);
        for (int c = 0; c < result.K; c++)
        {
            Assert.Equal(1f, TensorPrimitives.Norm(result.Centroids.AsSpan(c * Dim, Dim)), 4);
        }

        Assert.All(result.Assignments, a => Assert.InRange(a, 0, 4));
        Assert.Equal(0, result.Inertia, 4);
    }

    [Fact]
    public void Fit_NoVectors_ReturnsEmptyResult()
    {
        // Act
        var result = KMeans.Fit(ReadOnlySpan<float>.Empty, Dim, new KMeansOptions());

        // Assert
        Assert.Equal(0, result.K);
        Assert.Empty(result.Centroids);
        Assert.Empty(result.Assignments);
    }

    [Fact]
    public void Fit_MiniBatch_ComesCloseToLloyd()
    {
        // Arrange
        var (data, _, _) = SyntheticVectors.Clustered(new Random(4), 6000, Dim, 40, noise: 0.2f);

        // Act
        var lloyd = KMeans.Fit(data, Dim, new KMeansOptions(K: 40, Seed: 1));
        var miniBatch = KMeans.Fit(data, Dim, new KMeansOptions(K: 40, Seed: 1, MiniBatchThreshold: 1000, MiniBatchSize: 512, MaxIterations: 60));

        // Assert
        Assert.True(miniBatch.Inertia <= lloyd.Inertia * 1.15, $"mini-batch {miniBatch.Inertia} vs Lloyd {lloyd.Inertia}");
        Assert.Equal(Inertia(data, miniBatch), miniBatch.Inertia, 3);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(300)]
    public void Fit_MoreClustersThanNaturalGroups_NoClusterEndsEmpty(int miniBatchThreshold)
    {
        // Arrange: 3 tight groups and K = 24, so Lloyd's updates and mini-batch's sampling both empty clusters on the way.
        var (data, _, _) = SyntheticVectors.Clustered(new Random(8), 1200, Dim, 3, noise: 0.02f);
        var options = new KMeansOptions(K: 24, Seed: 8, MiniBatchThreshold: miniBatchThreshold, MiniBatchSize: 128, MaxIterations: 40);

        // Act
        var result = KMeans.Fit(data, Dim, options);

        // Assert: every cluster has members and a unit centroid, and the reported inertia is the real one.
        var sizes = new int[result.K];
        foreach (var a in result.Assignments)
        {
            sizes[a]++;
        }

        Assert.Equal(24, result.K);
        Assert.All(sizes, size => Assert.True(size > 0));
        for (int c = 0; c < result.K; c++)
        {
            Assert.Equal(1f, TensorPrimitives.Norm(result.Centroids.AsSpan(c * Dim, Dim)), 4);
        }

        Assert.Equal(Inertia(data, result), result.Inertia, 3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_MiniBatchOnClusteredData_WithinFivePercentOfLloyd(int seed)
    {
        // Arrange: 64 clusters in 32 dimensions, as k ≈ √N would pick for a few thousand chunks.
        var (data, _, _) = SyntheticVectors.Clustered(new Random(seed), 20_000, 32, 64, noise: 0.25f);

        // Act
        var lloyd = KMeans.Fit(data, 32, new KMeansOptions(K: 64, Seed: seed, MaxIterations: 50));
        var miniBatch = KMeans.Fit(data, 32, new KMeansOptions(K: 64, Seed: seed, MaxIterations: 200, MiniBatchThreshold: 5000, MiniBatchSize: 2048));

        // Assert
        Assert.True(miniBatch.Inertia <= lloyd.Inertia * 1.05, $"mini-batch {miniBatch.Inertia:0.0} vs Lloyd {lloyd.Inertia:0.0} ({miniBatch.Inertia / lloyd.Inertia:P1})");
    }

    [Fact]
    public void Fit_InvalidArguments_Throw()
    {
        var data = new float[10 * Dim];

        Assert.Throws<ArgumentException>(() => KMeans.Fit(data.AsSpan(0, 10), Dim, new KMeansOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(data, 0, new KMeansOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(data, Dim, new KMeansOptions(K: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(data, Dim, new KMeansOptions(MaxIterations: 0)));
        Assert.Throws<ArgumentNullException>(() => KMeans.Fit(data, Dim, null!));
    }

    [Fact]
    public void Fit_CancelledToken_Throws()
    {
        var data = SyntheticVectors.Uniform(new Random(1), 500, Dim);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => KMeans.Fit(data, Dim, new KMeansOptions(), cts.Token));
    }

    private static double Inertia(float[] data, KMeansResult result)
    {
        double inertia = 0;
        for (int i = 0; i < result.Assignments.Length; i++)
        {
            float dot = TensorPrimitives.Dot(data.AsSpan(i * Dim, Dim), result.Centroids.AsSpan(result.Assignments[i] * Dim, Dim));
            inertia += Math.Max(0, 1 - dot);
        }

        return inertia;
    }
}
