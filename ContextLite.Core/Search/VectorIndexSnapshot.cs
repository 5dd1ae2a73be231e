using System.Collections.Immutable;

namespace ContextLite.Search;

/// <summary>
/// One published state of a <see cref="VectorIndex"/>. Readers take it with one volatile read and use only it.
/// </summary>
/// <remarks>
/// The arrays are shared with later snapshots until they grow or are compacted, so the single writer obeys two
/// rules that keep every published snapshot consistent without locks:
/// rows at or beyond <see cref="Rows"/> are invisible here, so the writer appends there freely; and a row is
/// never rewritten in place: an updated vector is a new row and the old row is retired by writing the version
/// it dies at into <see cref="DeadAt"/>, which is later than this snapshot's <see cref="Version"/>, so the row
/// stays alive for readers of this snapshot. Compaction and growth copy into fresh arrays.
/// </remarks>
internal sealed class VectorIndexSnapshot(
    long version,
    int rows,
    int live,
    long[] ids,
    float[] vectors,
    long[] deadAt,
    int[] rowCluster,
    ImmutableDictionary<long, int> rowOf,
    ClusterLayout? clusters,
    int[]? dense = null)
{
    /// <summary>Alive rows carry this in <see cref="DeadAt"/>.</summary>
    public const long Alive = long.MaxValue;

    /// <summary>Incremented by every publish.</summary>
    public long Version { get; } = version;

    /// <summary>Rows written, alive or retired; rows ≥ this are not part of the snapshot.</summary>
    public int Rows { get; } = rows;

    /// <summary>Alive rows (= distinct ids).</summary>
    public int Live { get; } = live;

    /// <summary>Row → id.</summary>
    public long[] Ids { get; } = ids;

    /// <summary>Row-major unit vectors; capacity rows × dimension.</summary>
    public float[] Vectors { get; } = vectors;

    /// <summary>Row → the version at which it was retired, or <see cref="Alive"/>.</summary>
    public long[] DeadAt { get; } = deadAt;

    /// <summary>Row → its cluster (−1 while there are no clusters).</summary>
    public int[] RowCluster { get; } = rowCluster;

    /// <summary>Id → its alive row.</summary>
    public ImmutableDictionary<long, int> RowOf { get; } = rowOf;

    /// <summary>The IVF router, or null.</summary>
    public ClusterLayout? Clusters { get; } = clusters;

    /// <summary>
    /// A hint for <see cref="TryGetRow"/>: id → its latest row + 1 (0 = none), for ids below its length. Shared with
    /// later snapshots and written by the writer before it publishes, so an entry may already point past this
    /// snapshot's rows or to a row retired here; every hit is checked against this snapshot. Null when the ids are
    /// too sparse for an array.
    /// </summary>
    public int[]? Dense { get; } = dense;

    public int Capacity => Ids.Length;

    public bool IsAlive(int row) => DeadAt[row] > Version;

    /// <summary>
    /// The alive row of <paramref name="id"/> in this snapshot. Chunk ids are SQLite row ids, nearly dense, so the
    /// <see cref="Dense"/> array answers almost every lookup with one read and a check (the row is part of this
    /// snapshot, holds this id and is alive in it, which makes it the id's only alive row here); a miss falls back to
    /// <see cref="RowOf"/>, whose tree walk cost ~150 ns a lookup and a tenth of a query's CPU.
    /// </summary>
    public bool TryGetRow(long id, out int row)
    {
        if (Dense is { } dense && (ulong)id < (ulong)dense.Length)
        {
            row = dense[id] - 1;
            if ((uint)row < (uint)Rows && Ids[row] == id && IsAlive(row))
            {
                return true;
            }
        }

        return RowOf.TryGetValue(id, out row);
    }

    /// <summary>The length of a dense array for ids up to <paramref name="maxId"/>, or 0 when they are too sparse for one.</summary>
    public static int DenseLength(long maxId, int live) =>
        maxId >= 0 && maxId < (4L * live) + 4096 && maxId < int.MaxValue - 64 ? (int)maxId + 1 : 0;
}
