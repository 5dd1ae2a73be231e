using ContextLite.Security;
using ContextLite.Workspaces;

namespace ContextLite.Core.Tests.Security;

public sealed class ApiKeyTableTests
{
    private static SecurityOptions Options(params (string Key, string Role, string[] Workspaces)[] keys)
    {
        var options = new SecurityOptions();
        foreach (var (key, role, workspaces) in keys)
        {
            options.ApiKeys.Add(new ApiKeyEntry { Name = key + "-name", Hash = ApiKeyHash.Compute(key), Role = role, Workspaces = [.. workspaces] });
        }

        return options;
    }

    [Fact]
    public void Authenticate_ConfiguredKey_ReturnsItsRoleAndWorkspaces()
    {
        var table = new ApiKeyTable(Options(("k1", "write", ["alpha"]), ("k2", "ADMIN", ["*"])));

        var one = table.Authenticate("k1");
        var two = table.Authenticate("k2");

        Assert.Equal(("k1-name", ApiKeyRole.Write), (one!.Name, one.Role));
        Assert.True(one.CanAccess(WorkspaceId.Parse("alpha")));
        Assert.False(one.CanAccess(WorkspaceId.Parse("beta")));
        Assert.True(two!.AllWorkspaces);
        Assert.True(two.Allows(ApiKeyRole.Admin));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("k1 ")]
    [InlineData("K1")]
    public void Authenticate_AnythingElse_IsNull(string? presented)
    {
        var table = new ApiKeyTable(Options(("k1", "read", ["alpha"])));

        Assert.Null(table.Authenticate(presented));
    }

    [Fact]
    public void Authenticate_UpperCaseHashInConfiguration_StillMatches()
    {
        var options = Options(("k1", "read", ["alpha"]));
        options.ApiKeys[0].Hash = options.ApiKeys[0].Hash!.ToUpperInvariant();

        Assert.NotNull(new ApiKeyTable(options).Authenticate("k1"));
    }

    [Fact]
    public void Table_WithoutKeys_IsNotEnabled()
    {
        Assert.False(new ApiKeyTable(new SecurityOptions()).Enabled);
    }

    [Fact]
    public void Validate_ListsEveryProblem()
    {
        var options = new SecurityOptions
        {
            ApiKeys =
            [
                new ApiKeyEntry { Name = "a", Hash = "xyz", Role = "read", Workspaces = ["alpha"] },
                new ApiKeyEntry { Name = "b", Hash = ApiKeyHash.Compute("b"), Role = "owner", Workspaces = [] },
                new ApiKeyEntry { Name = "c", Hash = ApiKeyHash.Compute("b"), Role = "read", Workspaces = ["a b"] },
            ],
        };

        var problems = string.Join(" | ", options.Validate());

        Assert.Contains("[0] (a).hash", problems, StringComparison.Ordinal);
        Assert.Contains("[1] (b).role 'owner'", problems, StringComparison.Ordinal);
        Assert.Contains("[1] (b).workspaces is empty", problems, StringComparison.Ordinal);
        Assert.Contains("'a b' is not a workspace id", problems, StringComparison.Ordinal);
        Assert.Contains("share one hash", problems, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ApiKeyTable(options));
    }

    [Theory]
    [InlineData("Bearer abc", null, "abc")]
    [InlineData("bearer  abc ", null, "abc")]
    [InlineData(null, "abc", "abc")]
    [InlineData("Basic Zm9v", "abc", "abc")]
    [InlineData("Basic Zm9v", null, null)]
    [InlineData(null, "  ", null)]
    public void Extract_ReadsBearerOrApiKeyHeader(string? authorization, string? header, string? expected)
    {
        Assert.Equal(expected, ApiKeyCredentials.Extract(authorization, header));
    }
}
