using ContextLite.Selection;

namespace ContextLite.Core.Tests.Selection;

public sealed class GreedySelectorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Select_RandomInstances_StaysFeasibleAndNonNegativeWithBoundAboveOptimum(int seed)
    {
        // Arrange
        var random = new Random(seed);
        var selector = new GreedySelector();

        for (var round = 0; round < 80; round++)
        {
            var problem = SelectionInstances.CreateVaried(random, random.Next(1, 13));

            // Act
            var result = selector.Select(problem, TimeSpan.FromMilliseconds(10));

            // Assert
            SelectionInstances.AssertFeasible(problem, result);
            Assert.True(result.Objective >= 0);
            var optimum = ExactSolutions.BruteForce(problem);
            Assert.True(result.Bound >= optimum - 1e-9, $"Round {round}: bound {result.Bound} below the optimum {optimum}.");
            if (result.Status == SelectionStatus.Optimal)
            {
                Assert.Equal(optimum, result.Objective, 9);
            }
        }
    }

    [Fact]
    public void Select_RandomInstances_NoSingleAddRemoveOrSwapImproves()
    {
        // Arrange
        var random = new Random(7);
        var selector = new GreedySelector();

        for (var round = 0; round < 30; round++)
        {
            var problem = SelectionInstances.Create(random, random.Next(5, 40), lambda: random.NextDouble() * 2);

            // Act
            var result = selector.Select(problem, TimeSpan.FromMilliseconds(10));

            // Assert
            foreach (var neighbour in Neighbours(problem, result.Selected))
            {
                Assert.True(
                    problem.Objective(neighbour) <= result.Objective + 1e-9,
                    $"Round {round}: [{string.Join(',', neighbour)}] beats the local optimum [{string.Join(',', result.Selected)}].");
            }
        }
    }

    [Fact]
    public void Select_EverythingFitsWithoutRedundancy_ReportsOptimal()
    {
        // Arrange
        var problem = new SelectionProblem([0.9, 0.4, 0.7], [100, 200, 300], Redundancy: null, MaxTokens: 1000, MaxItems: 5, Lambda: 0.5);

        // Act
        var result = new GreedySelector().Select(problem, TimeSpan.FromMilliseconds(10));

        // Assert
        Assert.Equal([0, 1, 2], result.Selected);
        Assert.Equal(SelectionStatus.Optimal, result.Status);
        Assert.Equal(2.0, result.Objective, 12);
        Assert.Equal(result.Objective, result.Bound);
    }

    [Fact]
    public void Select_TwoNearDuplicates_KeepsOnlyOne()
    {
        // Arrange: candidates 0 and 1 are the same text; choosing both gains 0.8 but costs 0.5·1.0 twice over.
        float[] redundancy =
        [
            0, 1, 0,
            1, 0, 0,
            0, 0, 0,
        ];
        var problem = new SelectionProblem([0.8, 0.8, 0.3], [100, 100, 100], redundancy, MaxTokens: 1000, MaxItems: 3, Lambda: 1.0);

        // Act
        var result = new GreedySelector().Select(problem, TimeSpan.FromMilliseconds(10));

        // Assert
        Assert.Equal(2, result.Selected.Count);
        Assert.Contains(2, result.Selected);
        Assert.Equal(1.1, result.Objective, 9);
    }

    private static IEnumerable<int[]> Neighbours(SelectionProblem problem, IReadOnlyList<int> selected)
    {
        var chosen = selected.ToHashSet();
        var unchosen = Enumerable.Range(0, problem.Count).Where(i => !chosen.Contains(i)).ToArray();
        var candidates = new List<int[]>();
        candidates.AddRange(unchosen.Select(k => selected.Append(k).Order().ToArray()));
        candidates.AddRange(selected.Select(i => selected.Where(j => j != i).ToArray()));
        candidates.AddRange(
            from i in selected
            from k in unchosen
            select selected.Where(j => j != i).Append(k).Order().ToArray());
        return candidates.Where(s => s.Length <= problem.MaxItems && s.Sum(i => (long)problem.Tokens[i]) <= problem.MaxTokens);
    }
}
