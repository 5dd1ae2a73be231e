using ContextLite.Selection;

namespace ContextLite.Core.Tests.Selection;

/// <summary>What every solver promises, whatever its algorithm.</summary>
public sealed class SelectorPropertyTests
{
    public static TheoryData<string> Solvers => ["branch_and_bound", "greedy", "z3"];

    // For the tests that expect a proof: tiny instances, proved in milliseconds, but Z3's time limit is wall-clock and
    // its first call in a process takes about a second, so a short limit could end in a timeout on a loaded machine.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Select_RandomInstances_NeverExceedsTheBudgetOrTheCap(string name)
    {
        // Arrange
        var selector = ContextSelectors.Get(name);
        var random = new Random(1234);
        var rounds = name == "z3" ? 40 : 300;

        for (var round = 0; round < rounds; round++)
        {
            var problem = random.Next(3) == 0
                ? SelectionInstances.CreateVaried(random, random.Next(0, 25))
                : SelectionInstances.Create(random, random.Next(0, 80), random.Next(0, 9000), random.Next(0, 20), random.NextDouble() * 2);

            // Act
            var result = selector.Select(problem, TimeSpan.FromMilliseconds(5));

            // Assert
            SelectionInstances.AssertFeasible(problem, result);
            Assert.True(result.Objective >= 0, $"{name}: negative objective {result.Objective}; the empty selection scores 0.");
            Assert.Equal(name, result.Solver);
        }
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Select_NoCandidates_ReturnsEmptyOptimal(string name)
    {
        // Arrange
        var problem = new SelectionProblem([], [], [], MaxTokens: 8000, MaxItems: 15, Lambda: 0.5);

        // Act
        var result = ContextSelectors.Get(name).Select(problem, TimeSpan.FromMilliseconds(50));

        // Assert
        Assert.Empty(result.Selected);
        Assert.Equal(0, result.Objective);
        Assert.Equal(0, result.Bound);
        Assert.Equal(SelectionStatus.Optimal, result.Status);
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Select_NothingFits_ReturnsEmptyOptimal(string name)
    {
        // Arrange
        var problem = new SelectionProblem([0.9, 0.8], [500, 600], Redundancy: null, MaxTokens: 100, MaxItems: 15, Lambda: 0.5);

        // Act
        var result = ContextSelectors.Get(name).Select(problem, Generous);

        // Assert
        Assert.Empty(result.Selected);
        Assert.Equal(SelectionStatus.Optimal, result.Status);
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Select_NegativeRelevance_NeverChoosesThatCandidate(string name)
    {
        // Arrange
        var problem = new SelectionProblem([0.5, -0.2, 0.3], [10, 10, 10], Redundancy: null, MaxTokens: 100, MaxItems: 3, Lambda: 0.5);

        // Act
        var result = ContextSelectors.Get(name).Select(problem, Generous);

        // Assert
        Assert.Equal([0, 2], result.Selected);
        Assert.Equal(SelectionStatus.Optimal, result.Status);
    }

    public static TheoryData<string, SelectionProblem, string> InvalidProblems => new()
    {
        { "greedy", new SelectionProblem([0.5, 0.4], [10], null, 100, 5, 0.5), "Tokens has 1 entries but Relevance has 2" },
        { "branch_and_bound", new SelectionProblem([0.5], [0], null, 100, 5, 0.5), "Tokens[0] is 0" },
        { "branch_and_bound", new SelectionProblem([double.NaN], [10], null, 100, 5, 0.5), "Relevance[0] is NaN" },
        { "branch_and_bound", new SelectionProblem([0.5, 0.4], [10, 10], [0, 1, 1], 100, 5, 0.5), "Redundancy has 3 entries" },
        { "branch_and_bound", new SelectionProblem([0.5, 0.4], [10, 10], [0, 0.5f, 0.2f, 0], 100, 5, 0.5), "must be symmetric" },
        { "branch_and_bound", new SelectionProblem([0.5, 0.4], [10, 10], [0, -0.5f, -0.5f, 0], 100, 5, 0.5), "finite number >= 0" },
        { "z3", new SelectionProblem([0.5], [10], null, -1, 5, 0.5), "MaxTokens is -1" },
        { "z3", new SelectionProblem([0.5], [10], null, 100, -2, 0.5), "MaxItems is -2" },
        { "greedy", new SelectionProblem([0.5], [10], null, 100, 5, double.PositiveInfinity), "Lambda is" },
    };

    [Theory]
    [MemberData(nameof(InvalidProblems))]
    public void Select_InvalidProblem_ThrowsArgumentExceptionSayingWhatIsWrong(string name, SelectionProblem problem, string expected)
    {
        var exception = Assert.Throws<ArgumentException>(() => ContextSelectors.Get(name).Select(problem, TimeSpan.FromMilliseconds(10)));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Equal("problem", exception.ParamName);
    }
}
