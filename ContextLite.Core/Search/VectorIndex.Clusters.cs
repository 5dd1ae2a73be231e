using System.Buffers;
using System.Numerics.Tensors;
using ContextLite.Clustering;

namespace ContextLite.Search;

public sealed partial class VectorIndex
{
    /// <summary>The cluster of <paramref name="id"/>; −1 when it is missing or there are no clusters.</summary>
    public int ClusterOf(long id)
    {
        var s = Snapshot;
        return s.Clusters is not null && s.TryGetRow(id, out int row) ? s.RowCluster[row] : -1;
    }

    /// <summary>The ids in <paramref name="cluster"/>; empty for an unknown cluster or without clusters.</summary>
    public IReadOnlyList<long> MembersOf(int cluster)
    {
        var s = Snapshot;
        if (s.Clusters is not { } layout || cluster < 0 || cluster >= layout.K)
        {
            return [];
        }

        var members = new List<long>(layout.Starts[cluster + 1] - layout.Starts[cluster]);
        for (int row = layout.Starts[cluster]; row < layout.Starts[cluster + 1]; row++)
        {
            if (s.IsAlive(row))
            {
                members.Add(s.Ids[row]);
            }
        }

        for (int row = layout.SortedRows; row < s.Rows; row++)
        {
            if (s.RowCluster[row] == cluster && s.IsAlive(row))
            {
                members.Add(s.Ids[row]);
            }
        }

        return members;
    }

    /// <summary>
    /// Runs spherical k-means (<see cref="KMeans"/>) over the current vectors and attaches the result atomically.
    /// Writes that land while k-means runs are kept: vectors added or changed meanwhile join their nearest centroid.
    /// With no vectors, clusters are dropped and the result has K = 0.
    /// </summary>
    public KMeansResult BuildClusters(KMeansOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        int dim = Dimension;
        var built = Snapshot;
        int n = built.Live;
        float[] buffer = ArrayPool<float>.Shared.Rent(Math.Max(1, n * dim));
        long[] ids = ArrayPool<long>.Shared.Rent(Math.Max(1, n));
        try
        {
            int j = 0;
            for (int row = 0; row < built.Rows; row++)
            {
                if (built.IsAlive(row))
                {
                    ids[j] = built.Ids[row];
                    Row(built, row).CopyTo(buffer.AsSpan(j++ * dim, dim));
                }
            }

            var result = KMeans.Fit(buffer.AsSpan(0, n * dim), dim, options, ct);
            var centroids = (float[])result.Centroids.Clone();
            lock (_writeLock)
            {
                var current = Snapshot;
                if (result.K == 0 || current.Live == 0)
                {
                    Publish(Rebuild(current, null, 0, default));
                    return result;
                }

                int[] clusterOfRow = ArrayPool<int>.Shared.Rent(current.Rows);
                try
                {
                    if (ReferenceEquals(current, built))
                    {
                        // Nothing was written meanwhile: alive rows are the k-means inputs, in order.
                        int next = 0;
                        for (int row = 0; row < current.Rows; row++)
                        {
                            clusterOfRow[row] = current.IsAlive(row) ? result.Assignments[next++] : -1;
                        }
                    }
                    else
                    {
                        var position = new Dictionary<long, int>(n);
                        for (int i = 0; i < n; i++)
                        {
                            position[ids[i]] = i;
                        }

                        for (int row = 0; row < current.Rows; row++)
                        {
                            if (!current.IsAlive(row))
                            {
                                continue;
                            }

                            var vector = Row(current, row);
                            clusterOfRow[row] = position.TryGetValue(current.Ids[row], out int i)
                                && vector.SequenceEqual(buffer.AsSpan(i * dim, dim))
                                ? result.Assignments[i]
                                : KMeans.Nearest(vector, centroids, result.K, dim, out _);
                        }
                    }

                    Publish(Rebuild(current, centroids, result.K, clusterOfRow.AsSpan(0, current.Rows)));
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(clusterOfRow);
                }
            }

            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
            ArrayPool<long>.Shared.Return(ids);
        }
    }

    /// <summary>
    /// Swaps in clusters built elsewhere (the indexer's), atomically. Centroids are normalised (a copy); vectors
    /// without an entry in <paramref name="assignments"/> join their nearest centroid; entries for unknown ids are ignored.
    /// </summary>
    /// <param name="centroids">K × <see cref="Dimension"/>, row-major.</param>
    /// <param name="k">The number of clusters (≥ 1).</param>
    /// <param name="assignments">Id → cluster in [0, K).</param>
    /// <returns>How many vectors had no entry and were given their nearest centroid (those written after the
    /// snapshot the clusters were built from).</returns>
    /// <exception cref="ArgumentException">The shapes disagree, a centroid is zero or not finite, or a cluster is out of range.</exception>
    public int AttachClusters(float[] centroids, int k, IReadOnlyDictionary<long, int> assignments)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        int dim = Dimension;
        if (centroids.Length != k * dim)
        {
            throw new ArgumentException($"Expected {k} × {dim} = {k * dim} floats of centroids, got {centroids.Length}.", nameof(centroids));
        }

        var units = new float[centroids.Length];
        for (int c = 0; c < k; c++)
        {
            var source = centroids.AsSpan(c * dim, dim);
            float norm = TensorPrimitives.Norm(source);
            if (!(norm > 0) || !float.IsFinite(norm))
            {
                throw new ArgumentException($"Centroid {c} is zero or not finite.", nameof(centroids));
            }

            TensorPrimitives.Divide(source, norm, units.AsSpan(c * dim, dim));
        }

        foreach (var (id, cluster) in assignments)
        {
            if ((uint)cluster >= (uint)k)
            {
                throw new ArgumentException($"Id {id} is assigned to cluster {cluster}, outside [0, {k}).", nameof(assignments));
            }
        }

        lock (_writeLock)
        {
            var current = Snapshot;
            int[] clusterOfRow = ArrayPool<int>.Shared.Rent(Math.Max(1, current.Rows));
            try
            {
                int nearest = 0;
                for (int row = 0; row < current.Rows; row++)
                {
                    if (!current.IsAlive(row))
                    {
                        clusterOfRow[row] = -1;
                    }
                    else if (assignments.TryGetValue(current.Ids[row], out int cluster))
                    {
                        clusterOfRow[row] = cluster;
                    }
                    else
                    {
                        clusterOfRow[row] = KMeans.Nearest(Row(current, row), units, k, dim, out _);
                        nearest++;
                    }
                }

                Publish(Rebuild(current, units, k, clusterOfRow.AsSpan(0, current.Rows)));
                return nearest;
            }
            finally
            {
                ArrayPool<int>.Shared.Return(clusterOfRow);
            }
        }
    }

    /// <summary>A copy of the current clusters: centroids (K × <see cref="Dimension"/>), K and every id's cluster; null without clusters.</summary>
    public (float[] Centroids, int K, Dictionary<long, int> Assignments)? ExportClusters()
    {
        var s = Snapshot;
        if (s.Clusters is not { } layout)
        {
            return null;
        }

        var assignments = new Dictionary<long, int>(s.Live);
        for (int row = 0; row < s.Rows; row++)
        {
            if (s.IsAlive(row))
            {
                assignments[s.Ids[row]] = s.RowCluster[row];
            }
        }

        return ((float[])layout.Centroids.Clone(), layout.K, assignments);
    }
}
