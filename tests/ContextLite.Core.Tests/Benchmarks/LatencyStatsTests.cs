using ContextLite.Benchmarks.Drain;

namespace ContextLite.Core.Tests.Benchmarks;

public sealed class LatencyStatsTests
{
    [Fact]
    public void Of_OneToHundred_NearestRankPercentiles()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();

        var stats = LatencyStats.Of(values);

        Assert.Equal(new LatencyStats(100, 50, 95, 99, 100), stats);
    }

    [Fact]
    public void Of_TwoValues_P50IsTheLowerAndP99TheHigher()
    {
        var stats = LatencyStats.Of([3.0, 1.0]);

        Assert.Equal(1.0, stats.P50);
        Assert.Equal(3.0, stats.P99);
    }

    [Fact]
    public void Of_Empty_CountZero()
    {
        Assert.Equal(0, LatencyStats.Of([]).Count);
    }
}
