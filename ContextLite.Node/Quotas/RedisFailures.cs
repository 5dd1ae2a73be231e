using System.Net.Sockets;
using StackExchange.Redis;

namespace ContextLite.Node.Quotas;

/// <summary>What counts as "Redis did not answer": the node then falls back to its local state and reports <c>degraded</c>.</summary>
internal static class RedisFailures
{
    /// <summary>
    /// Redis errors and timeouts, and what a connection torn down mid-call surfaces as: StackExchange.Redis can
    /// throw the pipe's <see cref="InvalidOperationException"/> ("Reading is not allowed after reader was
    /// completed"), an <see cref="ObjectDisposedException"/>, or a socket error, instead of a RedisException.
    /// </summary>
    public static bool IsFailure(Exception ex) =>
        ex is RedisException or TimeoutException or InvalidOperationException or IOException or SocketException;
}
