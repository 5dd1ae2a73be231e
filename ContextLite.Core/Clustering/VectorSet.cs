namespace ContextLite.Clustering;

/// <summary>A workspace's vectors as the indexer received them: N ids and N × dimension floats, row-major.</summary>
public sealed record VectorSet(int Dimension, long[] Ids, float[] Vectors)
{
    /// <summary>N.</summary>
    public int Count => Ids.Length;
}
