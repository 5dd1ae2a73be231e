namespace ContextLite.Clustering;

/// <summary>The outcome of k-means.</summary>
/// <param name="Centroids">K×dimension, row-major, L2-normalised (spherical k-means for cosine).</param>
/// <param name="K">The number of clusters.</param>
/// <param name="Dimension">Vector dimension.</param>
/// <param name="Assignments">Per input vector, its cluster.</param>
/// <param name="Inertia">Σ (1 − cos(vector, its centroid)).</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Converged">True when it stopped on <see cref="KMeansOptions.Tolerance"/> rather than the cap.</param>
public sealed record KMeansResult(float[] Centroids, int K, int Dimension, int[] Assignments, double Inertia, int Iterations, bool Converged);
