using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

public sealed class TermStatisticsTests
{
    [Fact]
    public void Frequency_Capped_AnswersSmallerCapsFromTheCacheAndRecountsForLarger()
    {
        var statistics = new TermStatistics();
        var calls = new List<long>();
        long Count(string term, long cap)
        {
            calls.Add(cap);
            return Math.Min(10_000, cap);   // the term is in 10,000 chunks; a capped count stops at cap
        }

        var first = statistics.Frequency("the", total: 1_000_000, cap: 4_001, Count);
        var smaller = statistics.Frequency("the", total: 1_000_000, cap: 2_001, Count);
        var larger = statistics.Frequency("the", total: 1_000_000, cap: 8_001, Count);
        var exact = statistics.Frequency("the", total: 1_000_000, cap: long.MaxValue, Count);
        var again = statistics.Frequency("the", total: 1_000_000, cap: 4_001, Count);

        Assert.Equal([4_001L, 8_001L, long.MaxValue], calls);
        Assert.Equal(4_001, first);
        Assert.Equal(2_001, smaller);
        Assert.Equal(8_001, larger);
        Assert.Equal(10_000, exact);
        Assert.Equal(4_001, again);
    }

    [Fact]
    public void Frequency_BelowCap_IsExactForAnyLaterCap()
    {
        var statistics = new TermStatistics();
        var calls = 0;

        var first = statistics.Frequency("quokka", total: 1_000, cap: 101, (_, cap) => { calls++; return Math.Min(37, cap); });
        var exact = statistics.Frequency("quokka", total: 1_000, cap: long.MaxValue, (_, _) => { calls++; return 37; });

        Assert.Equal(37, first);
        Assert.Equal(37, exact);
        Assert.Equal(1, calls);
    }
}
