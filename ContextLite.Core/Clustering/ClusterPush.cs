namespace ContextLite.Clustering;

/// <summary>Clusters built elsewhere for one workspace: what the indexer sends back to the node.</summary>
/// <param name="Dimension">Vector dimension.</param>
/// <param name="K">Number of clusters.</param>
/// <param name="Centroids">K × <paramref name="Dimension"/>, row-major.</param>
/// <param name="Ids">The chunk id of every vector k-means saw.</param>
/// <param name="Clusters">The cluster of each of <paramref name="Ids"/>, in [0, K).</param>
/// <param name="Iterations">k-means iterations.</param>
/// <param name="Inertia">Σ(1 − cos) at the end.</param>
/// <param name="Seconds">Wall time of k-means.</param>
public sealed record ClusterPush(
    int Dimension, int K, float[] Centroids, long[] Ids, int[] Clusters, int Iterations, double Inertia, double Seconds);
