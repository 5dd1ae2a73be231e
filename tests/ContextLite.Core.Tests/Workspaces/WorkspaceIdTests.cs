using ContextLite.Workspaces;

namespace ContextLite.Core.Tests.Workspaces;

public sealed class WorkspaceIdTests
{
    public static TheoryData<string?> InvalidIds => new()
    {
        null,
        "",
        new string('a', WorkspaceId.MaxLength + 1),
        "..",
        "a..b",
        "/etc",
        "a/b",
        "a\\b",
        "\0x",
        "a\0",
        ".hidden",
        "-x",
        "_x",
        "café",
        "日本",
        "Ωmega",
        "my proj",
        " x",
        "x ",
        "a:b",
        "a*b",
    };

    [Theory]
    [InlineData("MyProj", "myproj")]
    [InlineData("myproj", "myproj")]
    [InlineData("a", "a")]
    [InlineData("0", "0")]
    [InlineData("Team.API_v2-beta", "team.api_v2-beta")]
    [InlineData("a.b.c", "a.b.c")]
    [InlineData("x-", "x-")]
    public void TryCreate_ValidId_ReturnsCanonicalLowerCaseId(string candidate, string expected)
    {
        // Act
        var ok = WorkspaceId.TryCreate(candidate, out var id, out var error);

        // Assert
        Assert.True(ok);
        Assert.Null(error);
        Assert.Equal(expected, id.Value);
        Assert.Equal(expected, id.ToString());
    }

    [Fact]
    public void TryCreate_SixtyFourCharacters_IsAccepted()
    {
        // Arrange
        var candidate = "A" + new string('b', WorkspaceId.MaxLength - 1);

        // Act
        var ok = WorkspaceId.TryCreate(candidate, out var id, out _);

        // Assert
        Assert.True(ok);
        Assert.Equal(64, id.Value.Length);
        Assert.Equal(candidate.ToLowerInvariant(), id.Value);
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void TryCreate_InvalidId_ReturnsFalseWithError(string? candidate)
    {
        // Act
        var ok = WorkspaceId.TryCreate(candidate, out var id, out var error);

        // Assert
        Assert.False(ok);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(default, id);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a..b", "'..'")]
    [InlineData(".hidden", "start with a letter or digit")]
    [InlineData("a/b", "position 1")]
    [InlineData("a\0", "\\u0000")]
    public void TryCreate_InvalidId_ErrorSaysWhatIsWrong(string candidate, string expectedFragment)
    {
        // Act
        WorkspaceId.TryCreate(candidate, out _, out var error);

        // Assert
        Assert.NotNull(error);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_SixtyFiveCharacters_ErrorNamesTheLimit()
    {
        // Act
        WorkspaceId.TryCreate(new string('a', 65), out _, out var error);

        // Assert
        Assert.NotNull(error);
        Assert.Contains("65", error, StringComparison.Ordinal);
        Assert.Contains("64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidId_ThrowsArgumentException()
    {
        // Act
        var ex = Assert.Throws<ArgumentException>(() => WorkspaceId.Parse("a/b"));

        // Assert
        Assert.Equal("candidate", ex.ParamName);
    }

    [Fact]
    public void Parse_DifferentCase_GivesEqualIds()
    {
        // Act
        var upper = WorkspaceId.Parse("DOCS");
        var lower = WorkspaceId.Parse("docs");

        // Assert
        Assert.Equal(lower, upper);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
    }

    [Fact]
    public void Default_IsNamedDefault()
    {
        // Act
        var id = WorkspaceId.Default;

        // Assert
        Assert.Equal("default", id.Value);
        Assert.Equal(WorkspaceId.Parse("default"), id);
    }
}
