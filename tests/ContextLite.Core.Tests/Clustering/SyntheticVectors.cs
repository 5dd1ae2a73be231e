using System.Numerics.Tensors;

namespace ContextLite.Core.Tests.Clustering;

/// <summary>Seeded random unit vectors for the clustering and search tests.</summary>
internal static class SyntheticVectors
{
    /// <summary><paramref name="n"/> unit vectors drawn uniformly on the sphere.</summary>
    public static float[] Uniform(Random random, int n, int dimension)
    {
        var data = new float[n * dimension];
        for (int i = 0; i < n; i++)
        {
            var row = data.AsSpan(i * dimension, dimension);
            FillGaussian(random, row);
            Normalize(row);
        }

        return data;
    }

    /// <summary>
    /// <paramref name="n"/> unit vectors around <paramref name="clusters"/> random unit centres (centre + Gaussian noise
    /// of standard deviation <paramref name="noise"/> per component, re-normalised); labels give each point's centre.
    /// </summary>
    public static (float[] Data, int[] Labels, float[] Centers) Clustered(Random random, int n, int dimension, int clusters, float noise)
    {
        var centers = Uniform(random, clusters, dimension);
        var data = new float[n * dimension];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int label = i % clusters;
            labels[i] = label;
            var row = data.AsSpan(i * dimension, dimension);
            FillGaussian(random, row);
            TensorPrimitives.MultiplyAdd(row, noise, centers.AsSpan(label * dimension, dimension), row);
            Normalize(row);
        }

        return (data, labels, centers);
    }

    /// <summary>A unit vector near <paramref name="center"/>.</summary>
    public static float[] Near(Random random, ReadOnlySpan<float> center, float noise)
    {
        var vector = new float[center.Length];
        FillGaussian(random, vector);
        TensorPrimitives.MultiplyAdd(vector, noise, center, vector);
        Normalize(vector);
        return vector;
    }

    public static void Normalize(Span<float> row) => TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);

    private static void FillGaussian(Random random, Span<float> row)
    {
        for (int j = 0; j < row.Length; j++)
        {
            // Box–Muller; 1 − NextDouble() is in (0, 1], so the logarithm is finite.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            row[j] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
