namespace ContextLite.Search;

/// <summary>
/// The IVF router of a <see cref="VectorIndexSnapshot"/>: unit centroids and the posting lists as contiguous row
/// blocks. Rows [<see cref="Starts"/>[c], <see cref="Starts"/>[c + 1]) belong to cluster c, so probing a cluster
/// is a sequential scan of one block; rows from <see cref="SortedRows"/> on were appended after the layout was
/// built and carry their cluster in <see cref="VectorIndexSnapshot.RowCluster"/> until the next compaction sorts them in.
/// </summary>
internal sealed class ClusterLayout(float[] centroids, int k, int[] starts, int sortedRows)
{
    /// <summary>K × dimension, unit vectors.</summary>
    public float[] Centroids { get; } = centroids;

    public int K { get; } = k;

    /// <summary>K + 1 block boundaries; <c>Starts[K] == SortedRows</c>.</summary>
    public int[] Starts { get; } = starts;

    /// <summary>Rows laid out in cluster blocks; later rows form the unsorted tail.</summary>
    public int SortedRows { get; } = sortedRows;
}
