using System.Diagnostics;
using System.Numerics.Tensors;
using ContextLite.Clustering;

namespace ContextLite.Benchmarks.Clustering;

/// <summary>
/// k-means rebuild time as the indexer runs it (default options: k = ⌈√N⌉, mini-batch above 50,000, one thread)
/// on synthetic clustered unit vectors: <see cref="NaturalClusters"/> random centres, each point its centre plus
/// Gaussian noise, re-normalised (cosine to its centre ≈ 0.65, about what sentence embeddings of one topic share).
/// </summary>
internal sealed class KMeansBenchmark(int dimension, int seed, TextWriter log)
{
    public const int NaturalClusters = 256;
    private const float Noise = 0.06f;

    public KMeansRun Run(int n, CancellationToken cancellationToken)
    {
        var data = Generate(n);
        GC.Collect();
        var options = new KMeansOptions(Seed: seed);
        var started = Stopwatch.GetTimestamp();
        var result = KMeans.Fit(data, dimension, options, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var run = new KMeansRun(
            n, result.K, n > options.MiniBatchThreshold ? "mini-batch" : "Lloyd", result.Iterations, result.Converged,
            result.Inertia / n, seconds, (long)data.Length * sizeof(float), Process.GetCurrentProcess().PeakWorkingSet64);
        log.WriteLine($"N = {n:N0}: K = {run.K}, {run.Mode}, {run.Iterations} iterations, mean 1 − cos {run.MeanCost:0.0000}, {run.Seconds:0.00} s");
        return run;
    }

    private float[] Generate(int n)
    {
        var random = new Random(seed);
        var centres = new float[NaturalClusters * dimension];
        for (int c = 0; c < NaturalClusters; c++)
        {
            var centre = centres.AsSpan(c * dimension, dimension);
            Gaussian(random, centre, 1f);
            TensorPrimitives.Divide(centre, TensorPrimitives.Norm(centre), centre);
        }

        var data = new float[(long)n * dimension];
        for (int i = 0; i < n; i++)
        {
            var row = data.AsSpan(i * dimension, dimension);
            Gaussian(random, row, Noise);
            TensorPrimitives.Add(row, centres.AsSpan(random.Next(NaturalClusters) * dimension, dimension), row);
            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        }

        return data;
    }

    private static void Gaussian(Random random, Span<float> row, float scale)
    {
        for (int j = 0; j < row.Length; j += 2)
        {
            // Box–Muller, both outputs used.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1)) * scale;
            row[j] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (j + 1 < row.Length)
            {
                row[j + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
            }
        }
    }
}

/// <summary>One k-means run: N, K, mode, iterations, converged, mean cost, seconds, data bytes, peak working set.</summary>
internal sealed record KMeansRun(int N, int K, string Mode, int Iterations, bool Converged, double MeanCost, double Seconds, long DataBytes, long PeakWorkingSet);
