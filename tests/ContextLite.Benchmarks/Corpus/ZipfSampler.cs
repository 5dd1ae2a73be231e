namespace ContextLite.Benchmarks.Corpus;

/// <summary>
/// Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s, the shape of word frequencies in
/// natural language and source code (a few terms everywhere, a long tail of rare ones).
/// </summary>
/// <remarks>
/// Sampling inverts the cumulative distribution with a binary search, so a draw costs O(log n) and the
/// sequence depends only on the <see cref="Random"/> passed in.
/// </remarks>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exponent);
        _cumulative = new double[count];
        var sum = 0.0;
        for (var rank = 0; rank < count; rank++)
        {
            sum += 1.0 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = sum;
        }
    }

    /// <summary>A rank, 0 being the most frequent.</summary>
    public int Next(Random random)
    {
        var target = random.NextDouble() * _cumulative[^1];
        var index = Array.BinarySearch(_cumulative, target);
        return Math.Min(index >= 0 ? index : ~index, _cumulative.Length - 1);
    }
}
