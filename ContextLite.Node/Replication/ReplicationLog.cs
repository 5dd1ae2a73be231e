namespace ContextLite.Node.Replication;

internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Replication: pulls from {Peer} fail: {Reason}")]
    public static partial void PeerFailing(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Replication: {Peer} answers pulls again")]
    public static partial void PeerBack(ILogger logger, string peer);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Replication: took over workspace {Workspace} from {Peer} at epoch {Epoch}")]
    public static partial void TookOver(ILogger logger, string workspace, string peer, long epoch);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "Replication: workspace {Workspace} starts a snapshot from {Source}")]
    public static partial void Resync(ILogger logger, string workspace, string source);

    [LoggerMessage(EventId = 904, Level = LogLevel.Information, Message = "Replication: copy of workspace {Workspace} dropped (deleted on its primary {Peer}, or moved to other nodes)")]
    public static partial void CopyDropped(ILogger logger, string workspace, string peer);

    [LoggerMessage(EventId = 906, Level = LogLevel.Information, Message = "Replication: handed workspace {Workspace} to {Successor} at epoch {Epoch} (no longer in its placement)")]
    public static partial void HandedOver(ILogger logger, string workspace, string successor, long epoch);

    [LoggerMessage(EventId = 905, Level = LogLevel.Warning, Message = "Replication: applying changes from {Peer} failed: {Reason}")]
    public static partial void ApplyFailed(ILogger logger, string peer, string reason);
}
