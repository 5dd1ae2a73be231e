using BenchmarkDotNet.Attributes;
using ContextLite.Search;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// <see cref="TopK"/> alone: 100,000 scores offered to a heap of 10 and the kept pairs sorted, in random order
/// (most offers rejected by one comparison) and in ascending order (the worst case: every offer enters the heap).
/// </summary>
[MemoryDiagnoser]
public class TopKKernels
{
    private const int Candidates = 100_000;

    private float[] _random = null!;
    private float[] _ascending = null!;

    [Params(10, 100)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(KernelData.Seed);
        _random = new float[Candidates];
        for (var i = 0; i < Candidates; i++)
        {
            _random[i] = (random.NextSingle() * 2) - 1;
        }

        _ascending = [.. _random.Order()];
    }

    [Benchmark(Description = "top-k of 100K scores (random order)")]
    public ScoredId[] Random() => Select(_random, K);

    [Benchmark(Description = "top-k of 100K scores (ascending: every offer enters)")]
    public ScoredId[] Ascending() => Select(_ascending, K);

    private static ScoredId[] Select(float[] scores, int k)
    {
        Span<ScoredId> buffer = stackalloc ScoredId[k];
        var top = new TopK(buffer);
        for (var i = 0; i < scores.Length; i++)
        {
            top.Offer(i, scores[i]);
        }

        return top.ToSortedArray();
    }
}
