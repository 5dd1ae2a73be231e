using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Indexing;

/// <summary>
/// Lets a request through to an internal endpoint only with the cluster key: 401 without the header,
/// 403 with a wrong one or when the node has no key configured. The comparison takes constant time.
/// </summary>
internal sealed class ClusterKeyFilter(IOptions<InternalOptions> options) : IEndpointFilter
{
    // Hashes compared, not the keys: equal lengths, so the comparison does not reveal the key's length either.
    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ClusterKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ClusterKey));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Request.Headers;
        if (_key is null)
        {
            return ValueTask.FromResult<object?>(Refuse(StatusCodes.Status403Forbidden,
                "This node has no cluster key (internal:cluster_key), so its internal endpoints are closed."));
        }

        if (!headers.TryGetValue(InternalOptions.KeyHeader, out var presented) || presented.Count != 1 || string.IsNullOrEmpty(presented[0]))
        {
            return ValueTask.FromResult<object?>(Refuse(StatusCodes.Status401Unauthorized,
                $"Internal endpoints need the cluster key in the {InternalOptions.KeyHeader} header."));
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented[0]!)), _key))
        {
            return ValueTask.FromResult<object?>(Refuse(StatusCodes.Status403Forbidden,
                $"The {InternalOptions.KeyHeader} header does not match this node's cluster key."));
        }

        return next(context);
    }

    private static IResult Refuse(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: status == StatusCodes.Status401Unauthorized ? "Cluster key required" : "Cluster key refused");
}
