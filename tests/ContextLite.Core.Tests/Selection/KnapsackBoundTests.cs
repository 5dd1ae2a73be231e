using ContextLite.Selection;

namespace ContextLite.Core.Tests.Selection;

public sealed class KnapsackBoundTests
{
    [Fact]
    public void Compute_CapBindsOnOneLargeValuableCandidate_StaysAboveTheOptimum()
    {
        // Arrange: by ratio the cheap candidate comes first, but with a cap of one the optimum is the large one (10).
        double[] gains = [1, 10];
        int[] tokens = [1, 100];
        int[] byRatio = [0, 1];

        // Act
        var bound = KnapsackBound.Compute(byRatio, gains, tokens, tokenBudget: 100, itemBudget: 1, new double[2]);

        // Assert
        Assert.True(bound >= 10, $"Bound {bound} is below the optimum 10.");
    }

    [Fact]
    public void Compute_BudgetBinds_TakesAFractionOfTheFirstMisfit()
    {
        double[] gains = [6, 10, 12];
        int[] tokens = [10, 20, 30];
        int[] byRatio = [0, 1, 2];

        var bound = KnapsackBound.Compute(byRatio, gains, tokens, tokenBudget: 50, itemBudget: 3, new double[3]);

        Assert.Equal(6 + 10 + (12 * 20.0 / 30), bound, 12);
    }

    [Fact]
    public void Compute_CapBinds_UsesTheLargestGains()
    {
        double[] gains = [5, 4, 3, 9];
        int[] tokens = [1, 1, 1, 10];
        int[] byRatio = [0, 1, 2, 3];

        var bound = KnapsackBound.Compute(byRatio, gains, tokens, tokenBudget: 1000, itemBudget: 2, new double[4]);

        Assert.Equal(14, bound, 12);
    }
}
