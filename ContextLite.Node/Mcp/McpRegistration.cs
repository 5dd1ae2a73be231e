using System.Reflection;
using ModelContextProtocol.Protocol;

namespace ContextLite.Node.Mcp;

/// <summary>
/// The Model Context Protocol endpoint: streamable HTTP at <c>/mcp</c>, and at <c>/workspace/{workspace}/mcp</c> for
/// clients that cannot send an <c>X-Workspace-ID</c> header.
/// </summary>
/// <remarks>
/// Stateless: every POST carries its own request and nothing is kept between them, so a session needs no sticky
/// node and the gateway may forward each call like any other request (it routes by the same workspace header).
/// </remarks>
internal static class McpRegistration
{
    public const string Path = "/mcp";

    public static IServiceCollection AddNodeMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services
            .AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation
                {
                    Name = "contextlite",
                    Title = "ContextLite",
                    Version = typeof(McpRegistration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0",
                };
                o.ServerInstructions =
                    "ContextLite keeps a project's documents per workspace and picks the passages that matter for a question within a token budget. "
                    + "Call assemble_context with the user's question before answering questions about the project; name a workspace or rely on the connection's.";
            })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<ContextTools>();
        return services;
    }

    public static IEndpointRouteBuilder MapNodeMcp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMcp(Path).ExcludeFromDescription();
        endpoints.MapMcp("/workspace/{workspace}" + Path).ExcludeFromDescription();
        return endpoints;
    }
}
