using ContextLite.Node.Diagnostics;
using ContextLite.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace ContextLite.Node.Api;

/// <summary>
/// Turns exceptions that escape an endpoint into problem+json: a client's mistake (oversized body, bad
/// request line) keeps its 4xx, a concurrent workspace deletion is a 409, and anything else is a logged 500.
/// In the Development environment a 500 also carries the exception (type, message, innermost frames) in its
/// <c>exception</c> field, so an end-to-end failure can be read from the answer alone.
/// </summary>
internal sealed class NodeExceptionHandler(IProblemDetailsService problems, IHostEnvironment environment, ILogger<NodeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", BadRequestDetail(bad)),
            WorkspaceDeletedException deleted => (StatusCodes.Status409Conflict, "Workspace deleted", deleted.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The client went away."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "The node failed to process the request; it has been logged."),
        };

        if (status >= 500)
        {
            NodeLog.Unhandled(logger, exception, context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (status >= 500 && environment.IsDevelopment())
        {
            problem.ProblemDetails.Extensions["exception"] = exception.ToString();
        }

        return await problems.TryWriteAsync(problem).ConfigureAwait(false);
    }

    private static string BadRequestDetail(BadHttpRequestException bad) => bad.StatusCode == StatusCodes.Status413PayloadTooLarge
        ? "The request body is larger than the node accepts (server.max_request_body_bytes); split it into smaller batches."
        : bad.Message;
}
