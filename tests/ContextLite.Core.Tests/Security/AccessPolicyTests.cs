using ContextLite.Security;

namespace ContextLite.Core.Tests.Security;

public sealed class AccessPolicyTests
{
    private static readonly ApiKeyTable s_table = new(new SecurityOptions
    {
        ApiKeys = [new ApiKeyEntry { Name = "reader", Hash = ApiKeyHash.Compute("r"), Role = "read", Workspaces = ["alpha"] }],
    });

    [Theory]
    [InlineData("GET", "/api/v1/documents", ApiKeyRole.Read)]
    [InlineData("POST", "/api/v1/assemble", ApiKeyRole.Read)]
    [InlineData("POST", "/api/v1/context/assemble", ApiKeyRole.Read)]
    [InlineData("POST", "/workspace/a/api/v1/search", ApiKeyRole.Read)]
    [InlineData("POST", "/mcp", ApiKeyRole.Read)]
    [InlineData("POST", "/workspace/a/mcp", ApiKeyRole.Read)]
    [InlineData("POST", "/api/v1/documents", ApiKeyRole.Write)]
    [InlineData("POST", "/api/v1/documents/bulk", ApiKeyRole.Write)]
    [InlineData("DELETE", "/workspace/a/api/v1/documents/x", ApiKeyRole.Write)]
    [InlineData("POST", "/api/v1/searchable", ApiKeyRole.Write)]
    [InlineData("DELETE", "/api/v1/workspaces/a", ApiKeyRole.Admin)]
    [InlineData("DELETE", "/workspace/a/api/v1/workspaces/a", ApiKeyRole.Admin)]
    public void RequiredRole_FollowsMethodAndPath(string method, string path, ApiKeyRole expected)
    {
        Assert.Equal(expected, AccessPolicy.RequiredRole(method, path));
    }

    [Theory]
    [InlineData("GET", "/api/v1/documents", null, AccessOutcome.Unauthorized)]
    [InlineData("GET", "/api/v1/documents", "wrong", AccessOutcome.Unauthorized)]
    [InlineData("GET", "/api/v1/documents", "r", AccessOutcome.Allowed)]
    [InlineData("POST", "/api/v1/documents", "r", AccessOutcome.Forbidden)]
    [InlineData("GET", "/health", null, AccessOutcome.Exempt)]
    [InlineData("GET", "/alive", "wrong", AccessOutcome.Exempt)]
    [InlineData("GET", "/healthz", null, AccessOutcome.Unauthorized)]
    [InlineData("POST", "/internal/clusters", null, AccessOutcome.Internal)]
    public void Decide_WithKeys(string method, string path, string? key, AccessOutcome expected)
    {
        var decision = AccessPolicy.Decide(s_table, method, path, key is null ? null : "Bearer " + key, null);

        Assert.Equal(expected, decision.Outcome);
    }

    [Fact]
    public void Decide_WithoutKeys_IsOpen()
    {
        var decision = AccessPolicy.Decide(new ApiKeyTable(new SecurityOptions()), "DELETE", "/api/v1/workspaces/a", null, null);

        Assert.Equal(AccessOutcome.Open, decision.Outcome);
    }

    [Fact]
    public void Decide_HealthWithAValidKey_CarriesThePrincipal()
    {
        var decision = AccessPolicy.Decide(s_table, "GET", "/health", null, "r");

        Assert.Equal("reader", decision.Principal?.Name);
    }
}
