using System.Numerics.Tensors;

namespace ContextLite.Search;

public sealed partial class VectorIndex
{
    /// <summary>
    /// The pairwise cosine similarities of <paramref name="ids"/> as a row-major n × n matrix (1 on the diagonal
    /// for stored ids); NaN where either id has no vector. One snapshot and one id lookup per id, where n²
    /// calls to <see cref="Similarity"/> would look each id up n times.
    /// </summary>
    public float[] Similarities(IReadOnlyList<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var s = Snapshot;
        int n = ids.Count;
        var rows = new int[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = s.TryGetRow(ids[i], out int row) ? row : -1;
        }

        var matrix = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            matrix[(i * n) + i] = rows[i] < 0 ? float.NaN : TensorPrimitives.Dot(Row(s, rows[i]), Row(s, rows[i]));
            for (int j = i + 1; j < n; j++)
            {
                float similarity = rows[i] < 0 || rows[j] < 0 ? float.NaN : TensorPrimitives.Dot(Row(s, rows[i]), Row(s, rows[j]));
                matrix[(i * n) + j] = matrix[(j * n) + i] = similarity;
            }
        }

        return matrix;
    }

    /// <summary>
    /// Cosine similarity of <paramref name="query"/> with every member of <paramref name="clusters"/> and with each of
    /// <paramref name="ids"/> that has a vector, each id once, best first (ties by the smaller id). Members are
    /// read block by block, so only <paramref name="ids"/> cost a lookup.
    /// </summary>
    public List<ScoredId> ScoreWithClusters(ReadOnlySpan<float> query, IReadOnlyList<long> ids, IReadOnlyCollection<int> clusters)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(clusters);
        Span<float> stack = stackalloc float[StackFloats];
        var unit = UnitQuery(query, stack, out float[]? rented);
        try
        {
            var s = Snapshot;
            var layout = s.Clusters;
            var probed = new bool[layout?.K ?? 0];
            foreach (var cluster in clusters)
            {
                if (cluster >= 0 && cluster < probed.Length)
                {
                    probed[cluster] = true;
                }
            }

            var scored = new List<ScoredId>(ids.Count);
            if (layout is not null)
            {
                for (int c = 0; c < layout.K; c++)
                {
                    if (probed[c])
                    {
                        for (int row = layout.Starts[c]; row < layout.Starts[c + 1]; row++)
                        {
                            if (s.IsAlive(row))
                            {
                                scored.Add(new ScoredId(s.Ids[row], TensorPrimitives.Dot(unit, Row(s, row))));
                            }
                        }
                    }
                }

                for (int row = layout.SortedRows; row < s.Rows; row++)
                {
                    int cluster = s.RowCluster[row];
                    if (cluster >= 0 && probed[cluster] && s.IsAlive(row))
                    {
                        scored.Add(new ScoredId(s.Ids[row], TensorPrimitives.Dot(unit, Row(s, row))));
                    }
                }
            }

            foreach (var id in ids)
            {
                if (s.TryGetRow(id, out int row) && !(layout is not null && s.RowCluster[row] >= 0 && probed[s.RowCluster[row]]))
                {
                    scored.Add(new ScoredId(id, TensorPrimitives.Dot(unit, Row(s, row))));
                }
            }

            BestFirst.Sort(scored);
            return scored;
        }
        finally
        {
            Return(rented);
        }
    }
}
