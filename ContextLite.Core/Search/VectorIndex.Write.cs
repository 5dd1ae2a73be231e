using System.Buffers;
using System.Collections.Immutable;
using ContextLite.Clustering;

namespace ContextLite.Search;

public sealed partial class VectorIndex
{
    /// <summary>Retired rows are compacted away once there are more than this many and they exceed a quarter of the rows.</summary>
    private const int CompactionFloor = 1024;

    /// <summary>
    /// Stores a unit copy of <paramref name="vector"/> under <paramref name="id"/>, replacing any previous one. With
    /// clusters attached, the vector joins the cluster of its nearest centroid.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not <see cref="Dimension"/> or a component is NaN or infinite.</exception>
    public void Upsert(long id, ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        Span<float> stack = stackalloc float[StackFloats];
        float[]? rented = null;
        Span<float> unit = Dimension <= StackFloats
            ? stack[..Dimension]
            : (rented = ArrayPool<float>.Shared.Rent(Dimension)).AsSpan(0, Dimension);
        try
        {
            if (!TryNormalize(vector, unit))
            {
                throw new ArgumentException($"The vector of {id} has a NaN or infinite component.", nameof(vector));
            }

            lock (_writeLock)
            {
                var write = new PendingWrite(this, Snapshot, extraRows: 1);
                write.Put(id, unit);
                Publish(write.Build());
            }
        }
        finally
        {
            Return(rented);
        }
    }

    /// <summary>
    /// Upserts a batch with one publish: readers see all of it or none of it. A later item with the same id wins.
    /// </summary>
    /// <exception cref="ArgumentException">An item has the wrong length or a NaN or infinite component; nothing is written.</exception>
    public void UpsertMany(IReadOnlyList<(long Id, float[] Vector)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        // Normalise outside the lock, and validate everything before any row is written.
        float[] units = ArrayPool<float>.Shared.Rent(items.Count * Dimension);
        try
        {
            for (int i = 0; i < items.Count; i++)
            {
                var (id, vector) = items[i];
                ArgumentNullException.ThrowIfNull(vector, nameof(items));
                CheckDimension(vector);
                if (!TryNormalize(vector, units.AsSpan(i * Dimension, Dimension)))
                {
                    throw new ArgumentException($"The vector of {id} has a NaN or infinite component.", nameof(items));
                }
            }

            lock (_writeLock)
            {
                var write = new PendingWrite(this, Snapshot, items.Count);
                for (int i = 0; i < items.Count; i++)
                {
                    write.Put(items[i].Id, units.AsSpan(i * Dimension, Dimension));
                }

                Publish(write.Build());
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(units);
        }
    }

    /// <summary>Removes the vector of <paramref name="id"/>; false if there was none.</summary>
    public bool Remove(long id)
    {
        lock (_writeLock)
        {
            var write = new PendingWrite(this, Snapshot, extraRows: 0);
            if (!write.Delete(id))
            {
                return false;
            }

            Publish(write.Build());
            return true;
        }
    }

    /// <summary>Removes the vectors of <paramref name="ids"/> with one publish; unknown ids are ignored.</summary>
    public void RemoveMany(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);

        // Enumerated before any row is retired: a throwing enumerator must not leave half a batch behind.
        long[] batch = [.. ids];
        lock (_writeLock)
        {
            var write = new PendingWrite(this, Snapshot, extraRows: 0);
            bool any = false;
            foreach (long id in batch)
            {
                any |= write.Delete(id);
            }

            if (any)
            {
                Publish(write.Build());
            }
        }
    }

    /// <summary>Publishes <paramref name="next"/>, then compacts when retired rows or the unsorted IVF tail have grown too large. Caller holds the write lock.</summary>
    private void Publish(VectorIndexSnapshot next)
    {
        Volatile.Write(ref _current, next);
        int retired = next.Rows - next.Live;
        bool manyRetired = retired > CompactionFloor && retired > next.Rows / 4;
        bool longTail = next.Clusters is { } layout
            && next.Rows - layout.SortedRows > Math.Max(CompactionFloor, layout.SortedRows / 8);
        if (manyRetired || longTail)
        {
            Volatile.Write(ref _current, Rebuild(next, next.Clusters?.Centroids, next.Clusters?.K ?? 0, next.RowCluster));
        }
    }

    /// <summary>
    /// A fresh snapshot holding only the alive rows of <paramref name="s"/>: in cluster blocks (cluster of old row r
    /// = <paramref name="clusterOfRow"/>[r]) when <paramref name="centroids"/> is given, otherwise in row order.
    /// </summary>
    private VectorIndexSnapshot Rebuild(VectorIndexSnapshot s, float[]? centroids, int k, ReadOnlySpan<int> clusterOfRow)
    {
        int dim = Dimension;
        int live = s.Live;
        int capacity = Math.Max(16, live + (live / 4));
        var ids = new long[capacity];
        var vectors = new float[(long)capacity * dim];
        var deadAt = new long[capacity];
        var rowCluster = new int[capacity];
        deadAt.AsSpan().Fill(VectorIndexSnapshot.Alive);
        rowCluster.AsSpan().Fill(-1);
        var rowOf = ImmutableDictionary.CreateBuilder<long, int>();
        long maxId = -1;
        for (int row = 0; row < s.Rows; row++)
        {
            if (s.IsAlive(row))
            {
                maxId = Math.Max(maxId, s.Ids[row]);
            }
        }

        int denseLength = VectorIndexSnapshot.DenseLength(maxId, live);
        int[]? dense = denseLength > 0 ? new int[denseLength] : null;

        ClusterLayout? layout = null;
        int[]? next = null;
        if (centroids is not null)
        {
            var starts = new int[k + 1];
            for (int row = 0; row < s.Rows; row++)
            {
                if (s.IsAlive(row))
                {
                    starts[clusterOfRow[row] + 1]++;
                }
            }

            for (int c = 0; c < k; c++)
            {
                starts[c + 1] += starts[c];
            }

            next = starts[..k];
            layout = new ClusterLayout(centroids, k, starts, live);
        }

        int sequential = 0;
        for (int row = 0; row < s.Rows; row++)
        {
            if (!s.IsAlive(row))
            {
                continue;
            }

            int cluster = next is null ? -1 : clusterOfRow[row];
            int dest = next is null ? sequential++ : next[cluster]++;
            ids[dest] = s.Ids[row];
            rowCluster[dest] = cluster;
            s.Vectors.AsSpan(row * dim, dim).CopyTo(vectors.AsSpan(dest * dim, dim));
            rowOf.Add(s.Ids[row], dest);
            if (dense is not null && s.Ids[row] >= 0)
            {
                dense[s.Ids[row]] = dest + 1;
            }
        }

        return new VectorIndexSnapshot(s.Version + 1, live, live, ids, vectors, deadAt, rowCluster, rowOf.ToImmutable(), layout, dense);
    }

    /// <summary>
    /// The next snapshot under construction. It appends into the current arrays (grown when full) past the
    /// published row count and retires replaced rows with the new version, which keeps published snapshots intact.
    /// </summary>
    private sealed class PendingWrite
    {
        private readonly VectorIndex _index;
        private readonly long _version;
        private readonly ClusterLayout? _clusters;
        private readonly ImmutableDictionary<long, int>.Builder _rowOf;
        private long[] _ids;
        private float[] _vectors;
        private long[] _deadAt;
        private int[] _rowCluster;
        private int _rows;
        private int _live;
        private int[]? _dense;

        public PendingWrite(VectorIndex index, VectorIndexSnapshot s, int extraRows)
        {
            _index = index;
            _version = s.Version + 1;
            _clusters = s.Clusters;
            _rowOf = s.RowOf.ToBuilder();
            _ids = s.Ids;
            _vectors = s.Vectors;
            _deadAt = s.DeadAt;
            _rowCluster = s.RowCluster;
            _rows = s.Rows;
            _live = s.Live;
            _dense = s.Dense;
            if (_rows + extraRows > _ids.Length)
            {
                Grow(Math.Max(_rows + extraRows, Math.Max(16, _ids.Length * 2)));
            }
        }

        public void Put(long id, ReadOnlySpan<float> unit)
        {
            int dim = _index.Dimension;
            int row = _rows++;
            unit.CopyTo(_vectors.AsSpan(row * dim, dim));
            _ids[row] = id;
            _deadAt[row] = VectorIndexSnapshot.Alive;
            _rowCluster[row] = _clusters is { } layout ? KMeans.Nearest(unit, layout.Centroids, layout.K, dim, out _) : -1;
            if (_rowOf.TryGetValue(id, out int previous))
            {
                _deadAt[previous] = _version;
            }
            else
            {
                _live++;
            }

            _rowOf[id] = row;
            SetDense(id, row + 1);
        }

        public bool Delete(long id)
        {
            if (!_rowOf.TryGetValue(id, out int row))
            {
                return false;
            }

            _deadAt[row] = _version;
            _ = _rowOf.Remove(id);
            _live--;
            SetDense(id, 0);
            return true;
        }

        public VectorIndexSnapshot Build() =>
            new(_version, _rows, _live, _ids, _vectors, _deadAt, _rowCluster, _rowOf.ToImmutable(), _clusters, _dense);

        /// <summary>
        /// Records the id's row in the dense hint, growing it (a new array: published snapshots keep theirs) while the
        /// ids stay dense enough; past that the hint stops covering new ids and lookups fall back to the dictionary.
        /// </summary>
        private void SetDense(long id, int value)
        {
            if (id < 0)
            {
                return;
            }

            if (_dense is null || id >= _dense.Length)
            {
                if (value == 0)
                {
                    return;
                }

                int wanted = VectorIndexSnapshot.DenseLength(id, _live);
                if (wanted == 0)
                {
                    return;
                }

                var grown = new int[Math.Max(wanted, Math.Min(int.MaxValue - 64, (long)(_dense?.Length ?? 0) * 2))];
                _dense?.CopyTo(grown, 0);
                _dense = grown;
            }

            _dense[id] = value;
        }

        private void Grow(int capacity)
        {
            int dim = _index.Dimension;
            var ids = new long[capacity];
            var vectors = new float[(long)capacity * dim];
            var deadAt = new long[capacity];
            var rowCluster = new int[capacity];
            _ids.AsSpan(0, _rows).CopyTo(ids);
            _vectors.AsSpan(0, _rows * dim).CopyTo(vectors);
            _deadAt.AsSpan(0, _rows).CopyTo(deadAt);
            _rowCluster.AsSpan(0, _rows).CopyTo(rowCluster);
            (_ids, _vectors, _deadAt, _rowCluster) = (ids, vectors, deadAt, rowCluster);
        }
    }
}
