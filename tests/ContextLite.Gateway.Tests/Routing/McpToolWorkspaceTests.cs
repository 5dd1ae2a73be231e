using System.Text;
using ContextLite.Gateway.Routing;

namespace ContextLite.Gateway.Tests.Routing;

public sealed class McpToolWorkspaceTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"q","workspace":"docs"}}}""", "docs")]
    [InlineData("""{"params":{"arguments":{"workspace":"late-method"}},"method":"tools/call","id":1}""", "late-method")]
    [InlineData("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"q"}}}""", null)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"arguments":{"workspace":"not-a-tool"}}}""", null)]
    [InlineData("""{"method":"tools/call","params":{"arguments":{"workspace":7}}}""", null)]
    [InlineData("""{"method":"tools/call",""", null)]
    [InlineData("""[{"method":"tools/call"}]""", null)]
    public void Find_ReadsTheToolCallsWorkspaceArgumentOnly(string json, string? expected) =>
        Assert.Equal(expected, McpToolWorkspace.Find(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("/mcp", true)]
    [InlineData("/workspace/demo/mcp", true)]
    [InlineData("/api/v1/mcp", false)]
    [InlineData("/mcpx", false)]
    public void IsMcp_MatchesBothMounts(string path, bool expected) => Assert.Equal(expected, McpToolWorkspace.IsMcp(path));
}
