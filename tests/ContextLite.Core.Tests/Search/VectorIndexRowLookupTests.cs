using ContextLite.Clustering;
using ContextLite.Core.Tests.Clustering;
using ContextLite.Search;

namespace ContextLite.Core.Tests.Search;

/// <summary>
/// Id → row lookups go through a dense array hint shared between snapshots (<see cref="VectorIndexSnapshot.TryGetRow"/>);
/// these check it never answers with a row that is not the id's alive row in the snapshot asked.
/// </summary>
public sealed class VectorIndexRowLookupTests
{
    private const int Dim = 16;

    [Fact]
    public void TryGetRow_AfterRandomUpdatesDeletesAndCompactions_AgreesWithTheDictionary()
    {
        // Arrange: a model of what each id should hold, against a long random history that also compacts and clusters.
        var random = new Random(21);
        var index = new VectorIndex(Dim);
        var expected = new Dictionary<long, float[]>();
        for (var step = 0; step < 6_000; step++)
        {
            long id = random.Next(0, 1_500);
            if (random.NextDouble() < 0.25 && expected.Remove(id))
            {
                index.Remove(id);
            }
            else
            {
                var vector = SyntheticVectors.Uniform(random, 1, Dim);
                index.Upsert(id, vector);
                expected[id] = vector;
            }

            if (step == 3_000)
            {
                index.BuildClusters(new KMeansOptions(K: 8, Seed: 1));
            }
        }

        // Act / Assert: every id, the ones deleted and ones never written included.
        for (long id = -5; id < 1_600; id++)
        {
            var stored = index.GetVector(id);
            Assert.Equal(expected.ContainsKey(id), stored is not null);
            Assert.Equal(expected.ContainsKey(id), index.Contains(id));
            if (stored is not null)
            {
                Assert.Equal(1f, index.Score(expected[id], id), 1e-4f);
            }
        }

        Assert.Equal(expected.Count, index.Count);
    }

    [Fact]
    public void TryGetRow_SparseIds_FallBackToTheDictionary()
    {
        var index = new VectorIndex(2);
        index.Upsert(3, [1f, 0f]);
        index.Upsert(5_000_000_000, [0f, 1f]);
        index.Upsert(long.MaxValue, [1f, 1f]);

        Assert.Equal([0f, 1f], index.GetVector(5_000_000_000)!);
        Assert.Equal([1f, 0f], index.GetVector(3)!);
        Assert.NotNull(index.GetVector(long.MaxValue));
        Assert.Null(index.GetVector(4));
    }
}
