using System.Collections.Concurrent;
using ContextLite.Benchmarks.Scale;
using ContextLite.Clustering;
using ContextLite.Search;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// The data the kernels run on, built once per size and shared by every benchmark case of the run (the in-process
/// toolchain keeps statics alive between cases, so the 100K index and its k-means are paid for once).
/// </summary>
/// <remarks>
/// Vectors are <see cref="ScaleCorpus"/> chunks: 384-d unit vectors around 1,024 topic centres, each a mix of its
/// topic and a related one, like the scale runs; queries come from the corpus's separate query stream.
/// </remarks>
internal static class KernelData
{
    public const int Seed = 20250101;
    public const int Dimension = 384;
    public const int QueryCount = 64;

    private static readonly Lazy<ScaleCorpus> s_corpus = new(() => new ScaleCorpus(Seed, Dimension));
    private static readonly ConcurrentDictionary<int, Lazy<float[]>> s_vectors = new();
    private static readonly ConcurrentDictionary<int, Lazy<VectorIndex>> s_indexes = new();
    private static readonly Lazy<float[][]> s_queries = new(() =>
        Enumerable.Range(0, QueryCount).Select(i => s_corpus.Value.Query(i).Vector).ToArray());

    /// <summary>Query vectors, cycled through by the search kernels so one lucky query does not set the number.</summary>
    public static float[][] Queries => s_queries.Value;

    /// <summary>The first <paramref name="n"/> chunk vectors, row-major.</summary>
    public static float[] Vectors(int n) => s_vectors.GetOrAdd(n, size => new Lazy<float[]>(() =>
    {
        var corpus = s_corpus.Value;
        var vectors = new float[size * Dimension];
        for (var i = 0; i < size; i++)
        {
            corpus.Chunk(i).Vector.CopyTo(vectors, i * Dimension);
        }

        return vectors;
    })).Value;

    /// <summary>A <see cref="VectorIndex"/> over <see cref="Vectors"/> with clusters built as the indexer builds them (K = ⌈√N⌉).</summary>
    public static VectorIndex Index(int n) => s_indexes.GetOrAdd(n, size => new Lazy<VectorIndex>(() =>
    {
        var vectors = Vectors(size);
        var index = new VectorIndex(Dimension);
        const int batch = 4096;
        for (var start = 0; start < size; start += batch)
        {
            var items = new List<(long, float[])>(batch);
            for (var i = start; i < Math.Min(size, start + batch); i++)
            {
                items.Add((i, vectors.AsSpan(i * Dimension, Dimension).ToArray()));
            }

            index.UpsertMany(items);
        }

        index.BuildClusters(new KMeansOptions(Seed: Seed));
        return index;
    })).Value;
}
