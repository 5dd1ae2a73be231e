namespace ContextLite.Node.Diagnostics;

/// <summary>The node's source-generated log messages.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(1, LogLevel.Information, "Node {NodeId} serving workspaces from {DataDirectory}")]
    public static partial void Started(ILogger logger, string nodeId, string dataDirectory);

    [LoggerMessage(2, LogLevel.Error, "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(3, LogLevel.Information, "Workspace {Workspace} deleted")]
    public static partial void WorkspaceDeleted(ILogger logger, string workspace);
}
