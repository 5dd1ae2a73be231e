using System.Net;

namespace ContextLite.Client;

/// <summary>
/// A request ContextLite refused (with its problem+json <see cref="Title"/> and <see cref="Detail"/>), or no endpoint
/// could be reached (<see cref="StatusCode"/> null).
/// </summary>
public sealed class ContextLiteException : Exception
{
    public ContextLiteException()
    {
    }

    public ContextLiteException(string message)
        : base(message)
    {
    }

    public ContextLiteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ContextLiteException(string message, HttpStatusCode? statusCode, string? title, string? detail, Uri? endpoint, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Title = title;
        Detail = detail;
        Endpoint = endpoint;
    }

    /// <summary>The HTTP status of the refusal; null when nothing answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The problem's title.</summary>
    public string? Title { get; }

    /// <summary>The problem's detail: what to fix.</summary>
    public string? Detail { get; }

    /// <summary>The endpoint that answered last.</summary>
    public Uri? Endpoint { get; }
}
