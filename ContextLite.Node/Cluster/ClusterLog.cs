namespace ContextLite.Node.Cluster;

/// <summary>Source-generated log messages of membership and the leader lease.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Node {Node} sees leader {Leader}")]
    public static partial void LeaderChanged(ILogger logger, string node, string leader);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Cluster heartbeat failed: {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string reason);
}
