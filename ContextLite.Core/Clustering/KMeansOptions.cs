namespace ContextLite.Clustering;

/// <summary>How k-means runs.</summary>
/// <param name="K">Clusters; 0 means ⌈√N⌉.</param>
/// <param name="Seed">Seed of the k-means++ seeding and mini-batch sampling (deterministic).</param>
/// <param name="MaxIterations">Iteration cap.</param>
/// <param name="Tolerance">Stop when the relative inertia improvement falls below this.</param>
/// <param name="MiniBatchThreshold">Above this many vectors, mini-batch updates are used.</param>
/// <param name="MiniBatchSize">Mini-batch size.</param>
/// <param name="MiniBatchRefinements">Full Lloyd steps after mini-batch converges (each one pass over the data).</param>
public sealed record KMeansOptions(
    int K = 0,
    int Seed = 42,
    int MaxIterations = 25,
    double Tolerance = 1e-4,
    int MiniBatchThreshold = 50_000,
    int MiniBatchSize = 4096,
    int MiniBatchRefinements = 3);
