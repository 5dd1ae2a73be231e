namespace ContextLite.Indexer.Diagnostics;

/// <summary>The indexer's source-generated log messages.</summary>
internal static partial class IndexerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Indexer {Instance} sees lease holder {Holder}")]
    public static partial void LeaseChanged(ILogger logger, string instance, string holder);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Indexer Redis call failed: {Reason}")]
    public static partial void RedisFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Workspace {Workspace} on {Node}: {K} clusters over {N} vectors in {Iterations} iterations, {Seconds:0.000} s; cluster version {Version}")]
    public static partial void Rebuilt(ILogger logger, string workspace, string node, int k, int n, int iterations, double seconds, long version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Rebuilding workspace {Workspace} on {Node} failed; retried later")]
    public static partial void RebuildFailed(ILogger logger, Exception exception, string workspace, string node);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Workspace {Workspace} is gone from {Node}; dropped from the queue")]
    public static partial void Forgotten(ILogger logger, string workspace, string node);
}
