using System.Buffers;
using System.Numerics.Tensors;

namespace ContextLite.Search;

public sealed partial class VectorIndex
{
    /// <summary>
    /// The <paramref name="k"/> vectors most similar to <paramref name="query"/> by a scan of all of them: best first,
    /// ties broken by the smaller id. The query is normalised (a copy) when it is not a unit vector.
    /// </summary>
    public IReadOnlyList<ScoredId> SearchExact(ReadOnlySpan<float> query, int k)
    {
        Span<float> stack = stackalloc float[StackFloats];
        var unit = UnitQuery(query, stack, out float[]? rented);
        try
        {
            var s = Snapshot;
            return k <= 0 || s.Live == 0 ? [] : Scan(s, unit, Math.Min(k, s.Live), probed: default, ivf: false);
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>
    /// The <paramref name="k"/> most similar vectors among the members of the <paramref name="nprobe"/> clusters whose
    /// centroids are nearest to <paramref name="query"/> (IVF). Without clusters it is <see cref="SearchExact"/>;
    /// with <paramref name="nprobe"/> ≥ <see cref="ClusterCount"/> it returns exactly what <see cref="SearchExact"/> returns.
    /// </summary>
    public IReadOnlyList<ScoredId> SearchIvf(ReadOnlySpan<float> query, int k, int nprobe) => SearchIvf(query, k, nprobe, 0, out _);

    /// <summary>
    /// IVF search that probes at most <paramref name="nprobe"/> clusters, nearest centroid first, and stops early at
    /// the first centroid whose similarity to the query is more than <paramref name="probeGap"/> × (best − mean) below
    /// the best centroid's, where mean is over all centroids; a gap of 0 always probes <paramref name="nprobe"/>.
    /// </summary>
    /// <remarks>
    /// The spread between the best and the average centroid scales the gap to the embedding space (cosines of
    /// MiniLM and of synthetic vectors live in different ranges): a query deep inside one cell has one centroid far
    /// above the rest and needs few probes, a query on the border between cells has several close ones.
    /// </remarks>
    /// <param name="query">The query vector (normalised, as a copy, when it is not a unit vector).</param>
    /// <param name="k">How many results.</param>
    /// <param name="nprobe">The most clusters probed.</param>
    /// <param name="probeGap">The gap, in units of (best − mean) centroid similarity; 0 probes <paramref name="nprobe"/> clusters.</param>
    /// <param name="probed">The clusters actually probed (0 without clusters).</param>
    public IReadOnlyList<ScoredId> SearchIvf(ReadOnlySpan<float> query, int k, int nprobe, float probeGap, out int probed) =>
        SearchIvf(query, k, nprobe, probeGap, minVectors: 0, out probed);

    /// <summary>
    /// Adaptive IVF search as above that, past the gap, goes on probing (nearest first, still at most
    /// <paramref name="nprobe"/> clusters) until the probed clusters hold at least <paramref name="minVectors"/> rows.
    /// </summary>
    /// <remarks>
    /// With few vectors per cluster (small workspaces: K = √N cells of √N rows) a query's true neighbours spread over
    /// more cells than the gap rule probes, and scanning a few thousand rows costs well under a millisecond; with
    /// large clusters the floor is met by the first probe or two and changes nothing.
    /// </remarks>
    public IReadOnlyList<ScoredId> SearchIvf(ReadOnlySpan<float> query, int k, int nprobe, float probeGap, int minVectors, out int probed)
    {
        Span<float> stack = stackalloc float[StackFloats];
        var unit = UnitQuery(query, stack, out float[]? rented);
        bool[]? rentedMask = null;
        probed = 0;
        try
        {
            var s = Snapshot;
            if (k <= 0 || s.Live == 0)
            {
                return [];
            }

            if (s.Clusters is not { } layout)
            {
                return Scan(s, unit, Math.Min(k, s.Live), probed: default, ivf: false);
            }

            int probes = Math.Clamp(nprobe, 1, layout.K);
            Span<bool> mask = layout.K <= StackFloats
                ? stackalloc bool[layout.K]
                : (rentedMask = ArrayPool<bool>.Shared.Rent(layout.K)).AsSpan(0, layout.K);
            mask.Clear();
            var nearest = NearestCentroids(layout, unit, probes, out float mean);
            float floor = probeGap > 0 && nearest.Length > 0 ? nearest[0].Score - (probeGap * (nearest[0].Score - mean)) : float.NegativeInfinity;
            long vectors = 0;
            foreach (var cluster in nearest)
            {
                if (probed > 0 && cluster.Score < floor && vectors >= minVectors)
                {
                    break;
                }

                int c = (int)cluster.Id;
                mask[c] = true;
                vectors += layout.Starts[c + 1] - layout.Starts[c];
                probed++;
            }

            return Scan(s, unit, Math.Min(k, s.Live), mask, ivf: true);
        }
        finally
        {
            Return(rented);
            if (rentedMask is not null)
            {
                ArrayPool<bool>.Shared.Return(rentedMask);
            }
        }
    }

    /// <summary>The <paramref name="count"/> clusters whose centroids are most similar to <paramref name="query"/>, nearest first; empty without clusters.</summary>
    public IReadOnlyList<int> NearestClusters(ReadOnlySpan<float> query, int count)
    {
        Span<float> stack = stackalloc float[StackFloats];
        var unit = UnitQuery(query, stack, out float[]? rented);
        try
        {
            if (Snapshot.Clusters is not { } layout || count <= 0)
            {
                return [];
            }

            var nearest = NearestCentroids(layout, unit, Math.Min(count, layout.K), out _);
            var clusters = new int[nearest.Length];
            for (int i = 0; i < nearest.Length; i++)
            {
                clusters[i] = (int)nearest[i].Id;
            }

            return clusters;
        }
        finally
        {
            Return(rented);
        }
    }

    private ScoredId[] NearestCentroids(ClusterLayout layout, ReadOnlySpan<float> unit, int count, out float mean)
    {
        ScoredId[]? rentedHeap = null;
        Span<ScoredId> buffer = count <= StackHeap
            ? stackalloc ScoredId[count]
            : (rentedHeap = ArrayPool<ScoredId>.Shared.Rent(count)).AsSpan(0, count);
        try
        {
            var top = new TopK(buffer);
            ReadOnlySpan<float> centroids = layout.Centroids;
            double sum = 0;
            for (int c = 0; c < layout.K; c++)
            {
                float score = TensorPrimitives.Dot(unit, centroids.Slice(c * Dimension, Dimension));
                sum += score;
                top.Offer(c, score);
            }

            mean = layout.K > 0 ? (float)(sum / layout.K) : 0;

            return top.ToSortedArray();
        }
        finally
        {
            if (rentedHeap is not null)
            {
                ArrayPool<ScoredId>.Shared.Return(rentedHeap);
            }
        }
    }

    /// <summary>
    /// Scores alive rows into a top-k heap: all of them, or (IVF) the blocks of the probed clusters plus the tail
    /// rows whose cluster is probed.
    /// </summary>
    private ScoredId[] Scan(VectorIndexSnapshot s, ReadOnlySpan<float> unit, int k, ReadOnlySpan<bool> probed, bool ivf)
    {
        ScoredId[]? rentedHeap = null;
        Span<ScoredId> buffer = k <= StackHeap
            ? stackalloc ScoredId[k]
            : (rentedHeap = ArrayPool<ScoredId>.Shared.Rent(k)).AsSpan(0, k);
        try
        {
            var top = new TopK(buffer);
            if (!ivf || s.Clusters is not { } layout)
            {
                ScanRange(s, unit, 0, s.Rows, ref top);
            }
            else
            {
                for (int c = 0; c < layout.K; c++)
                {
                    if (probed[c])
                    {
                        ScanRange(s, unit, layout.Starts[c], layout.Starts[c + 1], ref top);
                    }
                }

                ScanTail(s, unit, layout.SortedRows, probed, ref top);
            }

            return top.ToSortedArray();
        }
        finally
        {
            if (rentedHeap is not null)
            {
                ArrayPool<ScoredId>.Shared.Return(rentedHeap);
            }
        }
    }

    private void ScanRange(VectorIndexSnapshot s, ReadOnlySpan<float> unit, int from, int to, ref TopK top)
    {
        int dim = Dimension;
        ReadOnlySpan<float> vectors = s.Vectors.AsSpan(from * dim, (to - from) * dim);
        ReadOnlySpan<long> deadAt = s.DeadAt.AsSpan(from, to - from);
        ReadOnlySpan<long> ids = s.Ids.AsSpan(from, to - from);
        long version = s.Version;
        for (int i = 0; i < ids.Length; i++)
        {
            if (deadAt[i] > version)
            {
                top.Offer(ids[i], TensorPrimitives.Dot(unit, vectors.Slice(i * dim, dim)));
            }
        }
    }

    private void ScanTail(VectorIndexSnapshot s, ReadOnlySpan<float> unit, int from, ReadOnlySpan<bool> probed, ref TopK top)
    {
        int dim = Dimension;
        for (int row = from; row < s.Rows; row++)
        {
            int cluster = s.RowCluster[row];
            if (cluster >= 0 && probed[cluster] && s.IsAlive(row))
            {
                top.Offer(s.Ids[row], TensorPrimitives.Dot(unit, s.Vectors.AsSpan(row * dim, dim)));
            }
        }
    }

    private static void Return(float[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
