using ContextLite.Clustering;
using ContextLite.Core.Tests.Clustering;
using ContextLite.Search;

namespace ContextLite.Core.Tests.Search;

public sealed class VectorIndexConcurrencyTests
{
    private const int Dim = 32;

    [Fact]
    public async Task Search_ConcurrentWithWrites_NeverThrowsAndSeesWholeBatches()
    {
        // Arrange: batches of 10 ids share one vector, so a reader that saw part of a batch would find a group
        // with fewer than 10 members at the top.
        var random = new Random(31);
        var index = new VectorIndex(Dim);
        var data = SyntheticVectors.Uniform(random, 2000, Dim);
        index.UpsertMany(Enumerable.Range(0, 2000).Select(i => ((long)i, data[(i * Dim)..((i + 1) * Dim)])).ToList());
        index.BuildClusters(new KMeansOptions(Seed: 2));
        var groups = SyntheticVectors.Uniform(random, 40, Dim);
        using var done = new CancellationTokenSource();

        var writer = Task.Run(() =>
        {
            var writes = new Random(1);
            try
            {
                for (int round = 0; round < 300; round++)
                {
                    int g = round % 40;
                    var vector = groups[(g * Dim)..((g + 1) * Dim)];
                    index.UpsertMany(Enumerable.Range(0, 10).Select(j => (100_000L + (g * 10) + j, vector)).ToList());
                    index.RemoveMany(Enumerable.Range(0, 25).Select(_ => (long)writes.Next(2000)));
                    index.Upsert(writes.Next(2000), SyntheticVectors.Uniform(writes, 1, Dim));
                    if (round % 100 == 99)
                    {
                        index.BuildClusters(new KMeansOptions(Seed: round));
                    }
                }
            }
            finally
            {
                done.Cancel();
            }
        });

        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var reads = new Random(r);
            int checks = 0;
            while (!done.IsCancellationRequested || checks < 50)
            {
                int g = reads.Next(40);
                var query = groups.AsSpan(g * Dim, Dim);
                var exact = index.SearchExact(query, 10);
                var ivf = index.SearchIvf(query, 10, 4);
                int members = exact.Count(h => h.Id >= 100_000 + (g * 10) && h.Id < 100_000 + (g * 10) + 10);
                Assert.True(members is 0 or 10, $"saw {members} of a batch of 10");
                Assert.Equal(exact.Count, exact.Select(h => h.Id).Distinct().Count());
                Assert.True(ivf.Count <= 10);
                _ = index.MembersOf(reads.Next(Math.Max(1, index.ClusterCount)));
                _ = index.GetVector(reads.Next(2000));
                _ = index.Similarity(reads.Next(2000), reads.Next(2000));
                checks++;
            }

            return checks;
        })).ToArray();

        // Act
        await writer;
        int[] checks = await Task.WhenAll(readers);

        // Assert
        Assert.All(checks, c => Assert.True(c >= 50));
        Assert.Equal(400, Enumerable.Range(0, 400).Count(i => index.Contains(100_000 + i)));
    }
}
