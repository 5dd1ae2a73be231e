namespace ContextLite.Node.Security;

/// <summary>Access-control log messages. They name keys by their configured name, never the key or its hash.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(40, LogLevel.Warning, "No API keys are configured (security.api_keys): every endpoint is open to anyone who can reach this node")]
    public static partial void OpenAccess(ILogger logger);

    [LoggerMessage(41, LogLevel.Information, "Access control on: {Count} API key(s) configured")]
    public static partial void KeysConfigured(ILogger logger, int count);

    [LoggerMessage(42, LogLevel.Information, "Refused {Method} {Path} with {Status}: {Detail}")]
    public static partial void Refused(ILogger logger, string method, string path, int status, string detail);
}
