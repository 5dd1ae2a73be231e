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
    ClusterLayout? clusters)
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

    public int Capacity => Ids.Length;

    public bool IsAlive(int row) => DeadAt[row] > Version;
}
