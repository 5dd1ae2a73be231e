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
    public IReadOnlyList<ScoredId> SearchIvf(ReadOnlySpan<float> query, int k, int nprobe)
    {
        Span<float> stack = stackalloc float[StackFloats];
        var unit = UnitQuery(query, stack, out float[]? rented);
        bool[]? rentedMask = null;
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
            Span<bool> probed = layout.K <= StackFloats
                ? stackalloc bool[layout.K]
                : (rentedMask = ArrayPool<bool>.Shared.Rent(layout.K)).AsSpan(0, layout.K);
            probed.Clear();
            foreach (var cluster in NearestCentroids(layout, unit, probes))
            {
                probed[(int)cluster.Id] = true;
            }

            return Scan(s, unit, Math.Min(k, s.Live), probed, ivf: true);
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

            var nearest = NearestCentroids(layout, unit, Math.Min(count, layout.K));
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

    private ScoredId[] NearestCentroids(ClusterLayout layout, ReadOnlySpan<float> unit, int count)
    {
        ScoredId[]? rentedHeap = null;
        Span<ScoredId> buffer = count <= StackHeap
            ? stackalloc ScoredId[count]
            : (rentedHeap = ArrayPool<ScoredId>.Shared.Rent(count)).AsSpan(0, count);
        try
        {
            var top = new TopK(buffer);
            ReadOnlySpan<float> centroids = layout.Centroids;
            for (int c = 0; c < layout.K; c++)
            {
                top.Offer(c, TensorPrimitives.Dot(unit, centroids.Slice(c * Dimension, Dimension)));
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
