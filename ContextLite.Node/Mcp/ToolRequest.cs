namespace ContextLite.Node.Mcp;

/// <summary>The HTTP request a tool call arrived on, detached so the API's code can read it and write to it freely.</summary>
internal static class ToolRequest
{
    /// <summary>
    /// A copy of the live request's path, query and headers (which name the connection's workspace). The live response
    /// is the MCP stream and may have started: a 429's <c>Retry-After</c> goes to the copy instead, and its problem's
    /// detail tells the model how long to wait.
    /// </summary>
    public static HttpContext Detach(HttpContext? live)
    {
        var copy = new DefaultHttpContext();
        if (live is null)
        {
            return copy;
        }

        copy.Request.Path = live.Request.Path;
        copy.Request.QueryString = live.Request.QueryString;
        foreach (var (name, value) in live.Request.Headers)
        {
            copy.Request.Headers[name] = value;
        }

        // The connection's key, so that a tool's workspace argument is checked against it like any other request.
        if (live.Features.Get<ContextLite.Security.ApiKeyPrincipal>() is { } principal)
        {
            copy.Features.Set(principal);
        }

        return copy;
    }
}
