namespace ContextLite.Gateway.Diagnostics;

/// <summary>The gateway's source-generated log messages.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Workspace {Workspace} refused: its node {Node} is unavailable")]
    public static partial void WorkspaceUnavailable(ILogger logger, string workspace, string node);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Node {Destination} is now {Health}: {Reason}")]
    public static partial void NodeHealthChanged(ILogger logger, string destination, string health, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Health of node {Node} at {Url} failed: {Reason}")]
    public static partial void NodeHealthFailed(ILogger logger, string node, string url, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Redis is unavailable ({Reason}); sticky sessions are kept in this process until it answers")]
    public static partial void RedisUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Refused {Method} {Path} with {Status}: {Detail}")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "No API keys are configured (security.api_keys): the gateway forwards anyone's requests")]
    public static partial void OpenAccess(ILogger logger);
}
