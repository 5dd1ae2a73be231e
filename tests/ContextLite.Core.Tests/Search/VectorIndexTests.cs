using System.Numerics.Tensors;
using ContextLite.Core.Tests.Clustering;
using ContextLite.Search;

namespace ContextLite.Core.Tests.Search;

public sealed class VectorIndexTests
{
    private const int Dim = 32;

    [Fact]
    public void Upsert_NewVector_IsStoredNormalised()
    {
        // Arrange
        var index = new VectorIndex(3);

        // Act
        index.Upsert(7, [3f, 0f, 4f]);

        // Assert
        Assert.True(index.Contains(7));
        Assert.False(index.Contains(8));
        Assert.Equal(1, index.Count);
        Assert.Equal([0.6f, 0f, 0.8f], index.GetVector(7)!);
        Assert.Null(index.GetVector(8));
    }

    [Fact]
    public void Upsert_ExistingId_ReplacesVector()
    {
        // Arrange
        var index = new VectorIndex(2);
        index.Upsert(1, [1f, 0f]);

        // Act
        index.Upsert(1, [0f, 2f]);

        // Assert
        Assert.Equal(1, index.Count);
        Assert.Equal([0f, 1f], index.GetVector(1)!);
        Assert.Equal([new ScoredId(1, 1f)], index.SearchExact([0f, 1f], 10));
    }

    [Fact]
    public void Remove_KnownAndUnknownIds_ReportsWhetherRemoved()
    {
        // Arrange
        var index = new VectorIndex(2);
        index.UpsertMany([(1, [1f, 0f]), (2, [0f, 1f]), (3, [1f, 1f])]);

        // Act
        bool removed = index.Remove(2);
        bool again = index.Remove(2);
        index.RemoveMany([3, 99]);

        // Assert
        Assert.True(removed);
        Assert.False(again);
        Assert.Equal(1, index.Count);
        Assert.False(index.Contains(2));
        Assert.False(index.Contains(3));
        Assert.Equal([1L], index.SearchExact([1f, 1f], 10).Select(h => h.Id));
    }

    [Fact]
    public void Similarity_And_Score_AreCosineOrNaNWhenMissing()
    {
        // Arrange
        var index = new VectorIndex(2);
        index.UpsertMany([(1, [1f, 0f]), (2, [1f, 1f])]);

        // Act + Assert
        Assert.Equal(MathF.Sqrt(0.5f), index.Similarity(1, 2), 5);
        Assert.True(float.IsNaN(index.Similarity(1, 3)));
        Assert.Equal(MathF.Sqrt(0.5f), index.Score([5f, 0f], 2), 5);
        Assert.True(float.IsNaN(index.Score([1f, 0f], 3)));
    }

    [Fact]
    public void SearchExact_EqualScores_BreaksTiesBySmallerId()
    {
        // Arrange
        var index = new VectorIndex(2);
        index.UpsertMany([(9, [1f, 0f]), (3, [1f, 0f]), (5, [1f, 0f]), (4, [0f, 1f])]);

        // Act
        var hits = index.SearchExact([1f, 0f], 3);

        // Assert
        Assert.Equal([3L, 5L, 9L], hits.Select(h => h.Id));
    }

    [Fact]
    public void SearchExact_RandomOperations_MatchesBruteForce()
    {
        // Arrange: a model of the index as a dictionary, driven through upserts, batches and removals
        // (enough removals to trigger compactions).
        var random = new Random(17);
        var index = new VectorIndex(Dim);
        var model = new Dictionary<long, float[]>();
        for (int step = 0; step < 4000; step++)
        {
            int op = random.Next(10);
            long id = random.Next(1500);
            if (op < 5)
            {
                var v = SyntheticVectors.Uniform(random, 1, Dim);
                index.Upsert(id, v);
                model[id] = v;
            }
            else if (op < 7)
            {
                var batch = Enumerable.Range(0, 20).Select(_ => ((long)random.Next(1500), SyntheticVectors.Uniform(random, 1, Dim))).ToList();
                index.UpsertMany(batch);
                foreach (var (bid, bv) in batch)
                {
                    model[bid] = bv;
                }
            }
            else
            {
                Assert.Equal(model.Remove(id), index.Remove(id));
            }
        }

        // Act + Assert
        Assert.Equal(model.Count, index.Count);
        for (int q = 0; q < 20; q++)
        {
            var query = SyntheticVectors.Uniform(random, 1, Dim);
            var expected = model
                .Select(kv => new ScoredId(kv.Key, TensorPrimitives.Dot<float>(query, kv.Value)))
                .OrderByDescending(h => h.Score).ThenBy(h => h.Id).Take(25).Select(h => h.Id);
            Assert.Equal(expected, index.SearchExact(query, 25).Select(h => h.Id));
        }
    }

    [Fact]
    public void Upsert_WrongDimensionOrNaN_Throws()
    {
        var index = new VectorIndex(2);

        Assert.Throws<ArgumentException>(() => index.Upsert(1, [1f, 0f, 0f]));
        Assert.Throws<ArgumentException>(() => index.Upsert(1, [float.NaN, 0f]));
        Assert.Throws<ArgumentException>(() => index.UpsertMany([(1, [1f, 0f]), (2, [1f])]));
        Assert.Throws<ArgumentException>(() => index.SearchExact([1f], 1));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void MemoryBytes_GrowsWithVectors()
    {
        var index = new VectorIndex(Dim);
        long empty = index.MemoryBytes;

        index.UpsertMany(Enumerable.Range(0, 1000).Select(i => ((long)i, SyntheticVectors.Uniform(new Random(i), 1, Dim))).ToList());

        Assert.True(index.MemoryBytes >= empty + (1000L * Dim * sizeof(float)));
    }
}
