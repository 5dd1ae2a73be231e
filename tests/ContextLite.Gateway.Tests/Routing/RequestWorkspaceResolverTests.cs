using System.Text;
using ContextLite.Gateway.Configuration;
using ContextLite.Gateway.Routing;

namespace ContextLite.Gateway.Tests.Routing;

public sealed class RequestWorkspaceResolverTests
{
    [Theory]
    [InlineData("""{"query": "x", "workspace_path": "/Users/me/My App"}""", "/Users/me/My App")]
    [InlineData("""{"documents": [{"workspace_path": "inner"}], "workspace_path": "outer"}""", "outer")]
    [InlineData("""{"documents": [{"workspace_path": "inner"}]}""", null)]
    [InlineData("""[{"workspace_path": "in-array"}]""", null)]
    [InlineData("""{"workspace_path": 42}""", null)]
    [InlineData("""{"workspace_path": """, null)]
    [InlineData("", null)]
    public void FindWorkspacePath_Body_ReadsOnlyTheTopLevelString(string json, string? expected)
    {
        Assert.Equal(expected, RequestWorkspaceResolver.FindWorkspacePath(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("node-1", "node-1")]
    [InlineData("node-1[http://localhost:38147/]", "node-1")]
    [InlineData("node-12[http://[::1]:80/]", "node-12")]
    public void NodeIdOf_DestinationId_IsThePartBeforeTheBracket(string destinationId, string expected)
    {
        Assert.Equal(expected, NodeDestination.NodeIdOf(destinationId));
    }
}
