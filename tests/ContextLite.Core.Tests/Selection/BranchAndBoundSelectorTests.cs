using ContextLite.Selection;

namespace ContextLite.Core.Tests.Selection;

public sealed class BranchAndBoundSelectorTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Select_RandomSmallInstances_MatchesBruteForce(int seed)
    {
        // Arrange
        var random = new Random(seed);
        var selector = new BranchAndBoundSelector();

        for (var round = 0; round < 60; round++)
        {
            var problem = SelectionInstances.CreateVaried(random, random.Next(1, 15));

            // Act
            var result = selector.Select(problem, Generous);

            // Assert
            SelectionInstances.AssertFeasible(problem, result);
            Assert.Equal(SelectionStatus.Optimal, result.Status);
            Assert.Equal(ExactSolutions.BruteForce(problem), result.Objective, 9);
            Assert.Equal(result.Objective, result.Bound);
        }
    }

    [Fact]
    public void Select_RandomInstances_NeverScoresBelowGreedy()
    {
        // Arrange
        var random = new Random(11);
        var exact = new BranchAndBoundSelector();
        var greedy = new GreedySelector();

        for (var round = 0; round < 40; round++)
        {
            var problem = SelectionInstances.Create(random, random.Next(10, 60), lambda: random.NextDouble() * 1.5);

            // Act
            var exactResult = exact.Select(problem, TimeSpan.FromMilliseconds(20));
            var greedyResult = greedy.Select(problem, TimeSpan.FromMilliseconds(20));

            // Assert
            Assert.True(
                exactResult.Objective >= greedyResult.Objective - 1e-9,
                $"Round {round}: branch-and-bound {exactResult.Objective} < greedy {greedyResult.Objective}.");
            Assert.True(exactResult.Bound >= greedyResult.Objective - 1e-9);
        }
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Select_NoRedundancy_MatchesKnapsackDynamicProgramme(int seed)
    {
        // Arrange
        var random = new Random(seed);
        var selector = new BranchAndBoundSelector();

        for (var round = 0; round < 30; round++)
        {
            var n = random.Next(1, 30);
            var relevance = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
            var tokens = Enumerable.Range(0, n).Select(_ => random.Next(1, 60)).ToArray();
            var problem = new SelectionProblem(relevance, tokens, Redundancy: null, random.Next(0, 300), random.Next(0, n + 1), Lambda: 0.5);

            // Act
            var result = selector.Select(problem, Generous);

            // Assert
            SelectionInstances.AssertFeasible(problem, result);
            Assert.Equal(SelectionStatus.Optimal, result.Status);
            Assert.Equal(ExactSolutions.Knapsack(relevance, tokens, problem.MaxTokens, problem.MaxItems), result.Objective, 9);
        }
    }

    [Fact]
    public void Select_LargeInstanceWithShortLimit_ReturnsFeasibleNearTheLimitWithValidBound()
    {
        // Arrange
        var problem = SelectionInstances.Create(new Random(200), 200);
        var limit = TimeSpan.FromMilliseconds(50);
        var greedy = new GreedySelector().Select(problem, limit);

        // Act
        var result = new BranchAndBoundSelector().Select(problem, limit);

        // Assert: 51-80 ms on an idle machine. The wall-clock bound leaves room for a loaded machine and still fails a
        // search that ignores its limit (it proves this instance optimal only after about 6 s); how promptly the search
        // stops once its clock passes the deadline is checked exactly, on a stepping clock, in
        // Select_StoppedByTheClock_BoundIsAtLeastTheOptimum.
        SelectionInstances.AssertFeasible(problem, result);
        Assert.Equal(SelectionStatus.Feasible, result.Status);
        Assert.InRange(result.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.True(result.Nodes > 0);
        Assert.True(result.Objective >= greedy.Objective - 1e-9);
        Assert.True(result.Bound >= result.Objective);
        Assert.True(double.IsFinite(result.Bound));
        Assert.True(result.Bound <= greedy.Bound + 1e-9, "The bound after searching should be no weaker than the root bound.");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public void Select_StoppedByTheClock_BoundIsAtLeastTheOptimum(int seed)
    {
        // Arrange: a clock that moves 1 ms on every read stops the search after about 1,024 nodes per millisecond
        // of limit, deterministically, at different depths of the tree.
        var problem = SelectionInstances.Create(new Random(seed), 60);
        var optimum = new BranchAndBoundSelector().Select(problem, Timeout.InfiniteTimeSpan);
        Assert.Equal(SelectionStatus.Optimal, optimum.Status);

        foreach (var milliseconds in new[] { 2, 3, 5, 8, 13 })
        {
            var clock = new SteppingTimeProvider(TimeSpan.FromMilliseconds(1));

            // Act
            var result = new BranchAndBoundSelector(clock).Select(problem, TimeSpan.FromMilliseconds(milliseconds));

            // Assert: stopped at the first look at the clock past the deadline (one read a node interval, one more
            // for the elapsed time), having searched no more than the nodes of the intervals before it.
            Assert.Equal(SelectionStatus.Feasible, result.Status);
            Assert.InRange(result.Nodes, 1, optimum.Nodes - 1);
            Assert.InRange(result.Elapsed, TimeSpan.FromMilliseconds(milliseconds), TimeSpan.FromMilliseconds(milliseconds + 2));
            Assert.True(result.Nodes <= (milliseconds + 1) * 1024, $"Limit {milliseconds}: {result.Nodes} nodes searched.");
            SelectionInstances.AssertFeasible(problem, result);
            Assert.True(result.Bound >= optimum.Objective - 1e-9, $"Limit {milliseconds}: bound {result.Bound} below the optimum {optimum.Objective}.");
            Assert.True(result.Objective <= optimum.Objective + 1e-9);
        }
    }

    [Fact]
    public void Select_ZeroTimeLimit_ReturnsIncumbentWithRootBound()
    {
        // Arrange
        var problem = SelectionInstances.Create(new Random(41), 80);
        var greedy = new GreedySelector().Select(problem, TimeSpan.Zero);

        // Act
        var result = new BranchAndBoundSelector().Select(problem, TimeSpan.Zero);

        // Assert
        Assert.Equal(greedy.Selected, result.Selected);
        Assert.Equal(greedy.Bound, result.Bound, 9);
        Assert.Equal(0, result.Nodes);
    }

    [Fact]
    public void Select_CancelledToken_Throws()
    {
        // Arrange
        var problem = SelectionInstances.Create(new Random(51), 30);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        // Act and assert
        Assert.Throws<OperationCanceledException>(() => new BranchAndBoundSelector().Select(problem, Generous, cancellation.Token));
    }

    [Fact]
    public void Select_NegativeTimeLimit_Throws()
    {
        var problem = SelectionInstances.Create(new Random(52), 5);

        Assert.Throws<ArgumentOutOfRangeException>(() => new BranchAndBoundSelector().Select(problem, TimeSpan.FromMilliseconds(-5)));
    }

    /// <summary>A clock that advances by a fixed step every time it is read.</summary>
    private sealed class SteppingTimeProvider(TimeSpan step) : TimeProvider
    {
        private long now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref now, step.Ticks);
    }
}
