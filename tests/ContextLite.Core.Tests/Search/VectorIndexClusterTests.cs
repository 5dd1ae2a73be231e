using ContextLite.Clustering;
using ContextLite.Core.Tests.Clustering;
using ContextLite.Search;

namespace ContextLite.Core.Tests.Search;

public sealed class VectorIndexClusterTests
{
    private const int Dim = 32;

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    public void SearchIvf_AllClustersProbed_EqualsSearchExact(int k)
    {
        // Arrange: random data, clusters built, then enough writes to re-sort the tail into the cluster blocks
        // once (past 1,024 tail rows) and leave a new unsorted tail behind.
        var random = new Random(5);
        var index = new VectorIndex(Dim);
        var data = SyntheticVectors.Uniform(random, 3000, Dim);
        index.UpsertMany(Enumerable.Range(0, 3000).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList());
        index.BuildClusters(new KMeansOptions(Seed: 3));
        for (int i = 0; i < 1500; i++)
        {
            index.Upsert(10_000 + i, SyntheticVectors.Uniform(random, 1, Dim));
            index.Remove(i * 2);
        }

        for (int q = 0; q < 25; q++)
        {
            var query = SyntheticVectors.Uniform(random, 1, Dim);

            // Act
            var exact = index.SearchExact(query, k);
            var ivf = index.SearchIvf(query, k, index.ClusterCount);

            // Assert: the same ids and the same scores, bit for bit.
            Assert.Equal(exact, ivf);
        }
    }

    [Fact]
    public void SearchIvf_QuarterOfClustersProbed_RecallAtLeast90Percent()
    {
        // Arrange: 20,000 vectors around 200 centres; k-means with the default K = ⌈√N⌉ = 142.
        var random = new Random(23);
        var (data, _, centers) = SyntheticVectors.Clustered(random, 20_000, Dim, 200, noise: 0.12f);
        var index = new VectorIndex(Dim);
        index.UpsertMany(Enumerable.Range(0, 20_000).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList());
        var built = index.BuildClusters(new KMeansOptions(Seed: 42));
        int nprobe = (int)Math.Ceiling(built.K / 4.0);

        // Act: queries near random centres.
        double found = 0;
        const int Queries = 100;
        for (int q = 0; q < Queries; q++)
        {
            var query = SyntheticVectors.Near(random, centers.AsSpan(random.Next(200) * Dim, Dim), 0.12f);
            var exact = index.SearchExact(query, 10).Select(h => h.Id).ToHashSet();
            found += index.SearchIvf(query, 10, nprobe).Count(h => exact.Contains(h.Id));
        }

        // Assert
        Assert.Equal(142, index.ClusterCount);
        double recall = found / (Queries * 10);
        Assert.True(recall >= 0.9, $"recall@10 = {recall:F3} at nprobe {nprobe} of {built.K}");
    }

    [Fact]
    public void Upsert_AfterBuildClusters_JoinsNearestClusterAndIsFound()
    {
        // Arrange
        var random = new Random(8);
        var (data, _, centers) = SyntheticVectors.Clustered(random, 2000, Dim, 20, noise: 0.1f);
        var index = new VectorIndex(Dim);
        index.UpsertMany(Enumerable.Range(0, 2000).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList());
        index.BuildClusters(new KMeansOptions(K: 20, Seed: 1));
        var fresh = SyntheticVectors.Near(random, centers.AsSpan(3 * Dim, Dim), 0.1f);

        // Act
        index.Upsert(50_000, fresh);

        // Assert
        int cluster = index.ClusterOf(50_000);
        Assert.Equal(index.NearestClusters(fresh, 1)[0], cluster);
        Assert.Contains(50_000L, index.MembersOf(cluster));
        Assert.Equal(50_000L, index.SearchIvf(fresh, 1, 1)[0].Id);
        Assert.Equal(-1, index.ClusterOf(123_456));
    }

    [Fact]
    public void MembersOf_EveryCluster_PartitionsTheIds()
    {
        // Arrange
        var random = new Random(9);
        var index = new VectorIndex(Dim);
        var data = SyntheticVectors.Uniform(random, 500, Dim);
        index.UpsertMany(Enumerable.Range(0, 500).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList());
        index.BuildClusters(new KMeansOptions(K: 9));
        index.Upsert(1000, SyntheticVectors.Uniform(random, 1, Dim));
        index.Remove(4);

        // Act
        var members = Enumerable.Range(0, index.ClusterCount).SelectMany(c => index.MembersOf(c).Select(id => (id, c))).ToList();

        // Assert
        Assert.Equal(index.Count, members.Count);
        Assert.Equal(index.Count, members.Select(m => m.id).Distinct().Count());
        Assert.All(members, m => Assert.Equal(m.c, index.ClusterOf(m.id)));
        Assert.Empty(index.MembersOf(-1));
        Assert.Empty(index.MembersOf(9));
    }

    [Fact]
    public void AttachClusters_ExportedClusters_ReproduceAssignments()
    {
        // Arrange
        var random = new Random(10);
        var data = SyntheticVectors.Uniform(random, 800, Dim);
        var items = Enumerable.Range(0, 800).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList();
        var source = new VectorIndex(Dim);
        source.UpsertMany(items);
        source.BuildClusters(new KMeansOptions(K: 12, Seed: 4));
        var (centroids, k, assignments) = source.ExportClusters()!.Value;
        var target = new VectorIndex(Dim);
        target.UpsertMany(items);

        // Act: attach with every second assignment missing; those go to their nearest centroid.
        var partial = assignments.Where(kv => kv.Key % 2 == 0).ToDictionary();
        target.AttachClusters(centroids, k, partial);

        // Assert: k-means assignments are nearest-centroid assignments, so nothing changes.
        Assert.Equal(12, target.ClusterCount);
        foreach (var (id, cluster) in assignments)
        {
            Assert.Equal(cluster, target.ClusterOf(id));
        }

        var query = SyntheticVectors.Uniform(random, 1, Dim);
        Assert.Equal(source.SearchIvf(query, 10, 3), target.SearchIvf(query, 10, 3));
    }

    [Fact]
    public void AttachClusters_InvalidInput_Throws()
    {
        var index = new VectorIndex(2);
        index.Upsert(1, [1f, 0f]);

        Assert.Throws<ArgumentException>(() => index.AttachClusters([1f, 0f, 0f], 2, new Dictionary<long, int>()));
        Assert.Throws<ArgumentException>(() => index.AttachClusters([1f, 0f, 0f, 0f], 2, new Dictionary<long, int>()));
        Assert.Throws<ArgumentException>(() => index.AttachClusters([1f, 0f, 0f, 1f], 2, new Dictionary<long, int> { [1] = 2 }));
        Assert.Equal(0, index.ClusterCount);
        Assert.Null(index.ExportClusters());
    }

    [Fact]
    public void SearchIvf_WithoutClusters_EqualsSearchExact()
    {
        var random = new Random(12);
        var index = new VectorIndex(Dim);
        var data = SyntheticVectors.Uniform(random, 300, Dim);
        index.UpsertMany(Enumerable.Range(0, 300).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList());
        var query = SyntheticVectors.Uniform(random, 1, Dim);

        Assert.Equal(index.SearchExact(query, 10), index.SearchIvf(query, 10, 1));
        Assert.Empty(index.NearestClusters(query, 3));
        Assert.Empty(index.SearchExact(query, 0));
    }
}
