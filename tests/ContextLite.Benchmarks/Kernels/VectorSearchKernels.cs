using BenchmarkDotNet.Attributes;
using ContextLite.Clustering;
using ContextLite.Search;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// The vector stage: the exact scan, the IVF probe (ranking the centroids) and IVF searches, top 10, over
/// <see cref="KernelData"/>'s clustered vectors.
/// </summary>
/// <remarks>Public and unsealed because BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class VectorSearchKernels
{
    private const int K = 10;
    private static readonly ClusteringOptions s_clustering = new();

    private VectorIndex _index = null!;
    private float[][] _queries = null!;
    private int _next;
    private int _fixedProbes;
    private int _maxProbes;

    [Params(10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _index = KernelData.Index(N);
        _queries = KernelData.Queries;
        _fixedProbes = s_clustering.ProbesFor(_index.ClusterCount);
        _maxProbes = s_clustering.MaxProbesFor(_index.ClusterCount);
    }

    [Benchmark(Description = "vector scan (exact, top 10)")]
    public IReadOnlyList<ScoredId> Exact() => _index.SearchExact(NextQuery(), K);

    [Benchmark(Description = "IVF probe (rank centroids, nearest max(8, ⌈K/2⌉))")]
    public IReadOnlyList<int> Probe() => _index.NearestClusters(NextQuery(), _maxProbes);

    [Benchmark(Description = "IVF search (nprobe max(8, ⌈K/4⌉), top 10)")]
    public IReadOnlyList<ScoredId> IvfFixed() => _index.SearchIvf(NextQuery(), K, _fixedProbes);

    [Benchmark(Description = "IVF search (adaptive, as the engine runs it, top 10)")]
    public IReadOnlyList<ScoredId> IvfAdaptive() => _index.SearchIvf(NextQuery(), K, _maxProbes, (float)s_clustering.ProbeGap, out _);

    private float[] NextQuery() => _queries[_next++ % _queries.Length];
}
