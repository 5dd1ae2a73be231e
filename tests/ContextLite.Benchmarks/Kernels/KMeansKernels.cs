using BenchmarkDotNet.Attributes;
using ContextLite.Clustering;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// One step of each k-means loop as <see cref="KMeans.Fit(ReadOnlySpan{float}, int, KMeansOptions, CancellationToken)"/>
/// runs it, from centroids it fitted: a Lloyd step at 10K (update every centroid, reassign every point; K = 100) and a
/// mini-batch step at 100K (4,096 points drawn, assigned and folded into their centroids; K = 317).
/// </summary>
[MemoryDiagnoser]
public class KMeansKernels
{
    private const int LloydN = 10_000;
    private const int MiniBatchN = 100_000;
    private const int BatchSize = 4096;

    private readonly Random _random = new(KernelData.Seed);
    private float[] _lloydVectors = null!;
    private float[] _lloydCentroids = null!;
    private int[] _assignments = null!;
    private float[] _bestDots = null!;
    private float[] _lloydSums = null!;
    private int[] _counts = null!;
    private int _lloydK;

    private float[] _batchVectors = null!;
    private float[] _batchCentroids = null!;
    private long[] _seen = null!;
    private int[] _batchCounts = null!;
    private float[] _batchSums = null!;
    private int _batchK;

    [GlobalSetup]
    public void Setup()
    {
        const int dim = KernelData.Dimension;
        _lloydVectors = KernelData.Vectors(LloydN);
        var lloyd = KMeans.Fit(_lloydVectors, dim, new KMeansOptions(Seed: KernelData.Seed, MaxIterations: 3));
        _lloydK = lloyd.K;
        _lloydCentroids = [.. lloyd.Centroids];
        _assignments = [.. lloyd.Assignments];
        _bestDots = new float[LloydN];
        _lloydSums = new float[_lloydK * dim];
        _counts = new int[_lloydK];

        _batchVectors = KernelData.Vectors(MiniBatchN);
        var batch = KMeans.Fit(_batchVectors, dim, new KMeansOptions(Seed: KernelData.Seed, MaxIterations: 3, MiniBatchRefinements: 0));
        _batchK = batch.K;
        _batchCentroids = [.. batch.Centroids];
        _seen = new long[_batchK];
        foreach (var c in batch.Assignments)
        {
            _seen[c]++;
        }

        _batchCounts = new int[_batchK];
        _batchSums = new float[_batchK * dim];
    }

    [Benchmark(Description = "k-means Lloyd step (N 10K, K 100)")]
    public double LloydStep()
    {
        const int dim = KernelData.Dimension;
        KMeans.UpdateCentroids(_lloydVectors, LloydN, dim, _assignments, _lloydCentroids, _lloydK, _lloydSums, _counts);
        return KMeans.Assign(_lloydVectors, LloydN, dim, _lloydCentroids, _lloydK, _assignments, _bestDots, out _, CancellationToken.None);
    }

    [Benchmark(Description = "k-means mini-batch step (N 100K, K 317, batch 4,096)")]
    public double MiniBatchStep() => KMeans.MiniBatchStep(
        _batchVectors, MiniBatchN, KernelData.Dimension, _batchCentroids, _batchK, BatchSize, _random, _seen, _batchCounts, _batchSums);
}
