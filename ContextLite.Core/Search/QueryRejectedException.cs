namespace ContextLite.Search;

/// <summary>A query that cannot be answered as asked (a client error: the message says what to fix).</summary>
public sealed class QueryRejectedException(string message, bool conflict = false) : ArgumentException(message)
{
    /// <summary>True when the request conflicts with stored state (e.g. a vector dimension) rather than being malformed.</summary>
    public bool Conflict { get; } = conflict;
}
