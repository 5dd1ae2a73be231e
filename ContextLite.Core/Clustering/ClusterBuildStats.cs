namespace ContextLite.Clustering;

/// <summary>How the current IVF clusters of a workspace were built.</summary>
/// <param name="BuiltBy">Who built them: <c>node</c> (single-node mode) or the indexer's instance id.</param>
/// <param name="Vectors">N, the vectors k-means ran over.</param>
/// <param name="Iterations">k-means iterations (mini-batch steps above the threshold).</param>
/// <param name="Inertia">Σ(1 − cos) of the vectors to their centroid.</param>
/// <param name="Seconds">Wall time of k-means itself.</param>
public sealed record ClusterBuildStats(string BuiltBy, long Vectors, int Iterations, double Inertia, double Seconds);
