namespace ContextLite.Node.Quotas;

/// <summary>Source-generated log messages of the quota service.</summary>
internal static partial class QuotaLog
{
    [LoggerMessage(101, LogLevel.Information, "Quotas are shared through Redis at {Endpoints}")]
    public static partial void UsingRedis(ILogger logger, string endpoints);

    [LoggerMessage(102, LogLevel.Warning, "Redis is unreachable; enforcing this node's local quota limits until it answers again")]
    public static partial void Degraded(ILogger logger, Exception? exception);

    [LoggerMessage(103, LogLevel.Information, "Redis answers again; quotas are cluster-wide again")]
    public static partial void Recovered(ILogger logger);

    [LoggerMessage(104, LogLevel.Information, "Workspace {Workspace} refused by {Limit}")]
    public static partial void Refused(ILogger logger, string workspace, string limit);
}
