using System.Buffers;
using System.Collections.Immutable;
using System.Numerics.Tensors;

namespace ContextLite.Search;

/// <summary>
/// The in-memory vectors of one workspace (unit vectors, cosine = dot) with an optional IVF router.
/// Any number of readers run lock-free against a consistent snapshot while writers update it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Concurrency.</b> The state is an immutable <see cref="VectorIndexSnapshot"/> published with a volatile
/// write; each read takes one snapshot and uses only it, so it never sees half a batch. Writers serialise on a
/// lock, append rows past the published count, retire replaced rows by version (see
/// <see cref="VectorIndexSnapshot"/>), and publish once per call, so <see cref="UpsertMany"/> and
/// <see cref="RemoveMany"/> are atomic for readers. Growth and compaction copy into fresh arrays, amortised O(1)
/// per row; the id map is a persistent <see cref="ImmutableDictionary{TKey, TValue}"/>, so a publish shares all but
/// O(log n) of it with the previous snapshot.
/// </para>
/// <para>
/// <b>IVF.</b> With clusters attached, rows are laid out in one contiguous block per cluster, so a probe is a
/// sequential scan; rows written after the layout sit in a short tail tagged with their nearest centroid, and a
/// compaction re-sorts them into their blocks once the tail grows past an eighth of the index. A search that
/// probes every cluster scores exactly the rows an exact scan scores, with the same arithmetic, so the two return
/// identical results.
/// </para>
/// </remarks>
public sealed partial class VectorIndex
{
    /// <summary>Vectors of up to this many floats are copied on the stack; longer ones use the array pool.</summary>
    private const int StackFloats = 1024;

    /// <summary>Top-k heaps of up to this many entries live on the stack.</summary>
    private const int StackHeap = 256;

    /// <summary>A query whose norm is within this of 1 is used as is.</summary>
    private const float UnitTolerance = 1e-4f;

    private readonly Lock _writeLock = new();
    private VectorIndexSnapshot _current;

    /// <summary>An empty index of <paramref name="dimension"/>-dimensional vectors.</summary>
    public VectorIndex(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Dimension = dimension;
        _current = new VectorIndexSnapshot(
            0, 0, 0, [], [], [], [], ImmutableDictionary<long, int>.Empty, clusters: null);
    }

    /// <summary>The vector dimension.</summary>
    public int Dimension { get; }

    /// <summary>The number of vectors (distinct ids).</summary>
    public int Count => Snapshot.Live;

    /// <summary>The number of IVF clusters; 0 when there are none.</summary>
    public int ClusterCount => Snapshot.Clusters?.K ?? 0;

    /// <summary>
    /// The bytes one live row costs at full capacity: its float32 vector, id, version and cluster slots, and its
    /// entry in the id map (≈ 64 bytes). Used to estimate what an ingest will add before it happens.
    /// </summary>
    public static long BytesPerRow(int dimension) => ((long)dimension * sizeof(float)) + sizeof(long) + sizeof(long) + sizeof(int) + 64;

    /// <summary>
    /// An estimate of the managed memory held: the row arrays at their capacity (vectors, ids, versions,
    /// clusters), the id map (≈ 64 bytes an entry) and the centroids.
    /// </summary>
    public long MemoryBytes
    {
        get
        {
            var s = Snapshot;
            long bytes = ((long)s.Vectors.Length * sizeof(float))
                + ((long)s.Ids.Length * sizeof(long))
                + ((long)s.DeadAt.Length * sizeof(long))
                + ((long)s.RowCluster.Length * sizeof(int))
                + ((long)s.Live * 64);
            if (s.Clusters is { } layout)
            {
                bytes += ((long)layout.Centroids.Length * sizeof(float)) + ((long)layout.Starts.Length * sizeof(int));
            }

            return bytes;
        }
    }

    private VectorIndexSnapshot Snapshot => Volatile.Read(ref _current);

    /// <summary>The live vectors as of now, to read in batches; writes after this call do not show in it.</summary>
    public VectorExport Export() => new(Snapshot, Dimension);

    /// <summary>Whether <paramref name="id"/> has a vector.</summary>
    public bool Contains(long id) => Snapshot.TryGetRow(id, out _);

    /// <summary>A copy of the (unit) vector of <paramref name="id"/>, or null.</summary>
    public float[]? GetVector(long id)
    {
        var s = Snapshot;
        return s.TryGetRow(id, out int row) ? s.Vectors.AsSpan(row * Dimension, Dimension).ToArray() : null;
    }

    /// <summary>Cosine similarity of two stored vectors; NaN if either is missing.</summary>
    public float Similarity(long a, long b)
    {
        var s = Snapshot;
        return s.TryGetRow(a, out int rowA) && s.TryGetRow(b, out int rowB)
            ? TensorPrimitives.Dot(Row(s, rowA), Row(s, rowB))
            : float.NaN;
    }

    /// <summary>Cosine similarity of <paramref name="query"/> (normalised if it is not) and the vector of <paramref name="id"/>; NaN if missing.</summary>
    public float Score(ReadOnlySpan<float> query, long id)
    {
        CheckDimension(query);
        var s = Snapshot;
        if (!s.TryGetRow(id, out int row))
        {
            return float.NaN;
        }

        float norm = QueryNorm(query);
        float dot = TensorPrimitives.Dot(query, Row(s, row));
        return IsUnit(norm) ? dot : dot / norm;
    }

    private ReadOnlySpan<float> Row(VectorIndexSnapshot s, int row) => s.Vectors.AsSpan(row * Dimension, Dimension);

    private void CheckDimension(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"Expected a vector of {Dimension} floats, got {vector.Length}.", nameof(vector));
        }
    }

    /// <summary>The norm of a query; throws for NaN or infinite components.</summary>
    private static float QueryNorm(ReadOnlySpan<float> query)
    {
        float norm = TensorPrimitives.Norm(query);
        if (!float.IsFinite(norm))
        {
            throw new ArgumentException("The vector has a NaN or infinite component.", nameof(query));
        }

        return norm;
    }

    private static bool IsUnit(float norm) => MathF.Abs(norm - 1f) <= UnitTolerance || norm == 0f;

    /// <summary>Writes the unit version of <paramref name="source"/> (zeros stay zeros) and returns false if it is not finite.</summary>
    private static bool TryNormalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        float norm = TensorPrimitives.Norm(source);
        if (!float.IsFinite(norm))
        {
            return false;
        }

        if (norm > 0)
        {
            TensorPrimitives.Divide(source, norm, destination);
        }
        else
        {
            source.CopyTo(destination);
        }

        return true;
    }

    /// <summary>A unit copy of <paramref name="query"/> when it is not unit already (the caller returns <paramref name="rented"/>).</summary>
    private ReadOnlySpan<float> UnitQuery(ReadOnlySpan<float> query, Span<float> stack, out float[]? rented)
    {
        CheckDimension(query);
        rented = null;
        if (IsUnit(QueryNorm(query)))
        {
            return query;
        }

        Span<float> copy = Dimension <= stack.Length
            ? stack[..Dimension]
            : (rented = ArrayPool<float>.Shared.Rent(Dimension)).AsSpan(0, Dimension);
        _ = TryNormalize(query, copy);
        return copy;
    }
}
