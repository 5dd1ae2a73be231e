using ContextLite.Clustering;
using ContextLite.Core.Tests.Clustering;
using ContextLite.Search;

namespace ContextLite.Core.Tests.Search;

public sealed class VectorIndexAdaptiveProbeTests
{
    private const int Dim = 32;

    [Fact]
    public void SearchIvf_QueryInsideOneWellSeparatedCluster_ProbesFewClustersAndKeepsRecall()
    {
        // Arrange: 40 tight, well-separated groups; a query near one centre has one centroid far above the rest.
        var random = new Random(7);
        var (index, centers) = Clustered(random, 8_000, 40, noise: 0.05f, k: 40);

        var probes = 0;
        double found = 0;
        const int Queries = 50;
        for (var q = 0; q < Queries; q++)
        {
            var query = SyntheticVectors.Near(random, centers.AsSpan(random.Next(40) * Dim, Dim), 0.05f);
            var exact = index.SearchExact(query, 10).Select(h => h.Id).ToHashSet();

            // Act
            var hits = index.SearchIvf(query, 10, nprobe: 20, probeGap: 0.75f, out var probed);

            probes += probed;
            found += hits.Count(h => exact.Contains(h.Id));
        }

        // Assert: far fewer than the 20 allowed, and the exact top 10 still found.
        Assert.True(probes / (double)Queries < 5, $"mean probes {probes / (double)Queries}");
        Assert.True(found / (Queries * 10) >= 0.95, $"recall {found / (Queries * 10)}");
    }

    [Fact]
    public void SearchIvf_ZeroGap_ProbesExactlyNProbe()
    {
        var random = new Random(8);
        var (index, _) = Clustered(random, 2_000, 20, noise: 0.05f, k: 20);

        index.SearchIvf(SyntheticVectors.Uniform(random, 1, Dim), 10, nprobe: 7, probeGap: 0, out var probed);

        Assert.Equal(7, probed);
    }

    [Fact]
    public void SearchIvf_LargerGap_NeverProbesFewerClusters()
    {
        var random = new Random(9);
        var (index, _) = Clustered(random, 3_000, 30, noise: 0.3f, k: 30);
        for (var q = 0; q < 20; q++)
        {
            var query = SyntheticVectors.Uniform(random, 1, Dim);
            var previous = 0;
            foreach (var gap in (float[])[0.1f, 0.5f, 1f, 2f])
            {
                index.SearchIvf(query, 10, nprobe: 30, gap, out var probed);

                Assert.InRange(probed, Math.Max(1, previous), 30);
                previous = probed;
            }
        }
    }

    [Fact]
    public void SearchIvf_VectorFloor_ProbesUntilTheProbedClustersHoldIt()
    {
        // Arrange: a query deep inside one tight group, which the gap rule alone answers with very few probes.
        var random = new Random(13);
        var (index, centers) = Clustered(random, 8_000, 40, noise: 0.05f, k: 40);
        var query = SyntheticVectors.Near(random, centers.AsSpan(3 * Dim, Dim), 0.05f);
        index.SearchIvf(query, 10, nprobe: 20, probeGap: 0.75f, out var gapOnly);
        var nearest = index.NearestClusters(query, 20);

        // Act
        index.SearchIvf(query, 10, nprobe: 20, probeGap: 0.75f, minVectors: 2_000, out var floored);
        index.SearchIvf(query, 10, nprobe: 20, probeGap: 0.75f, minVectors: 1_000_000, out var capped);

        // Assert: the fewest nearest clusters that hold 2,000 vectors (≈ 200 each), never more than nprobe.
        var held = 0;
        var needed = 0;
        while (held < 2_000)
        {
            held += index.MembersOf(nearest[needed++]).Count();
        }

        Assert.True(gapOnly < needed, $"the gap alone probed {gapOnly}, the floor needs {needed}");
        Assert.Equal(Math.Max(gapOnly, needed), floored);
        Assert.Equal(20, capped);
    }

    [Fact]
    public void ScoreWithClusters_EqualsScoringEveryMemberAndIdOnce()
    {
        // Arrange
        var random = new Random(10);
        var (index, _) = Clustered(random, 1_000, 10, noise: 0.2f, k: 10);
        index.Upsert(5_000, SyntheticVectors.Uniform(random, 1, Dim));   // a tail row, outside the sorted blocks
        var query = SyntheticVectors.Uniform(random, 1, Dim);
        int[] clusters = [index.ClusterOf(5_000), (index.ClusterOf(5_000) + 1) % 10];
        long[] ids = [1, 2, 3, 5_000, 999_999];
        var expected = clusters.SelectMany(index.MembersOf).Concat(ids).Distinct()
            .Select(id => new ScoredId(id, index.Score(query, id))).Where(h => !float.IsNaN(h.Score))
            .OrderByDescending(h => h.Score).ThenBy(h => h.Id).ToList();

        // Act
        var scored = index.ScoreWithClusters(query, ids, clusters);

        // Assert
        Assert.Equal(expected.Select(h => h.Id), scored.Select(h => h.Id));
        Assert.All(scored.Zip(expected), p => Assert.Equal(p.Second.Score, p.First.Score, 1e-5f));
    }

    [Fact]
    public void Similarities_MatchesPairwiseSimilarityWithNaNForMissingIds()
    {
        var random = new Random(12);
        var (index, _) = Clustered(random, 200, 4, noise: 0.2f, k: 4);
        long[] ids = [3, 17, 404_404, 150];

        var matrix = index.Similarities(ids);

        for (var i = 0; i < ids.Length; i++)
        {
            for (var j = 0; j < ids.Length; j++)
            {
                var expected = index.Similarity(ids[i], ids[j]);
                Assert.Equal(float.IsNaN(expected), float.IsNaN(matrix[(i * ids.Length) + j]));
                if (!float.IsNaN(expected))
                {
                    Assert.Equal(expected, matrix[(i * ids.Length) + j], 1e-6f);
                }
            }
        }
    }

    private static (VectorIndex Index, float[] Centers) Clustered(Random random, int n, int groups, float noise, int k)
    {
        var (data, _, centers) = SyntheticVectors.Clustered(random, n, Dim, groups, noise);
        var index = new VectorIndex(Dim);
        index.UpsertMany(Enumerable.Range(0, n).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList());
        index.BuildClusters(new KMeansOptions(K: k, Seed: 42));
        return (index, centers);
    }
}
