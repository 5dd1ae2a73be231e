using ContextLite.Selection;

namespace ContextLite.Core.Tests.Selection;

public sealed class ContextSelectorsTests
{
    [Theory]
    [InlineData("auto", "branch_and_bound")]
    [InlineData(null, "branch_and_bound")]
    [InlineData("", "branch_and_bound")]
    [InlineData("branch_and_bound", "branch_and_bound")]
    [InlineData("exact", "branch_and_bound")]
    [InlineData("BnB", "branch_and_bound")]
    [InlineData("greedy", "greedy")]
    [InlineData("z3", "z3")]
    public void TryGet_KnownNameOrAlias_ReturnsThatSolver(string? name, string expected)
    {
        var found = ContextSelectors.TryGet(name, out var selector);

        Assert.True(found);
        Assert.Equal(expected, selector!.Name);
    }

    [Fact]
    public void TryGet_UnknownName_ReturnsFalse()
    {
        var found = ContextSelectors.TryGet("simplex", out var selector);

        Assert.False(found);
        Assert.Null(selector);
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingTheNames()
    {
        var exception = Assert.Throws<ArgumentException>(() => ContextSelectors.Get("simplex"));

        Assert.Contains("auto, branch_and_bound, greedy, z3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_EveryName_Resolves()
    {
        Assert.Equal(["auto", "branch_and_bound", "greedy", "z3"], ContextSelectors.Names);
        Assert.All(ContextSelectors.Names, name => Assert.True(ContextSelectors.TryGet(name, out _)));
    }
}
