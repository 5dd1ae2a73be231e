using ContextLite.Benchmarks.Drain;

namespace ContextLite.Core.Tests.Benchmarks;

public sealed class DrainPhasesTests
{
    [Theory]
    [InlineData(0, (int)DrainPhase.FirstQuarter)]
    [InlineData(249, (int)DrainPhase.FirstQuarter)]
    [InlineData(250, (int)DrainPhase.SecondQuarter)]
    [InlineData(500, (int)DrainPhase.ThirdQuarter)]
    [InlineData(750, (int)DrainPhase.FourthQuarter)]
    [InlineData(999, (int)DrainPhase.FourthQuarter)]
    [InlineData(1000, (int)DrainPhase.Finishing)]
    public void Of_EmbeddedShare_QuarterOfTheDrain(long embedded, int expected)
    {
        Assert.Equal((DrainPhase)expected, DrainPhases.Of(embedded, chunks: 1000, drained: false));
    }

    [Fact]
    public void Of_Drained_AfterDrainWhateverTheCount()
    {
        Assert.Equal(DrainPhase.AfterDrain, DrainPhases.Of(1000, 1000, drained: true));
        Assert.Equal(DrainPhase.AfterDrain, DrainPhases.Of(10, 1000, drained: true));
    }

    [Fact]
    public void Describe_EveryPhase_DistinctLabel()
    {
        var labels = Enum.GetValues<DrainPhase>().Select(DrainPhases.Describe).ToList();

        Assert.Equal(labels.Count, labels.Distinct().Count());
    }
}
