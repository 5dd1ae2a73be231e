namespace ContextLite.Search;

/// <summary>
/// The live vectors of a <see cref="VectorIndex"/> as one snapshot saw them, read in batches (for streaming them
/// to the indexer without copying the whole index first). Later writes to the index do not show here.
/// </summary>
public sealed class VectorExport
{
    private readonly VectorIndexSnapshot _snapshot;
    private int _row;

    internal VectorExport(VectorIndexSnapshot snapshot, int dimension)
    {
        _snapshot = snapshot;
        Dimension = dimension;
    }

    /// <summary>The vector dimension.</summary>
    public int Dimension { get; }

    /// <summary>How many vectors the export holds.</summary>
    public int Count => _snapshot.Live;

    /// <summary>
    /// Copies the next live vectors: up to <c>ids.Length</c> of them, and as many rows of <see cref="Dimension"/>
    /// floats into <paramref name="vectors"/> as fit. Returns how many were copied; 0 at the end.
    /// </summary>
    public int Read(Span<long> ids, Span<float> vectors)
    {
        int max = Math.Min(ids.Length, vectors.Length / Dimension);
        int copied = 0;
        var s = _snapshot;
        while (copied < max && _row < s.Rows)
        {
            int row = _row++;
            if (!s.IsAlive(row))
            {
                continue;
            }

            ids[copied] = s.Ids[row];
            s.Vectors.AsSpan(row * Dimension, Dimension).CopyTo(vectors.Slice(copied * Dimension, Dimension));
            copied++;
        }

        return copied;
    }
}
