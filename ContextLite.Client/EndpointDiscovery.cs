namespace ContextLite.Client;

/// <summary>Finds the healthy endpoints among the candidates by probing <c>GET /health</c> on all of them at once.</summary>
internal static class EndpointDiscovery
{
    /// <returns>The candidates that answered 2xx, in candidate order (so the lowest port is tried first).</returns>
    public static async Task<IReadOnlyList<Uri>> ProbeAsync(HttpClient http, IReadOnlyList<Uri> candidates, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probes = candidates.Select(c => IsHealthyAsync(http, c, timeout, cancellationToken)).ToArray();
        var healthy = await Task.WhenAll(probes).ConfigureAwait(false);
        return [.. candidates.Where((_, i) => healthy[i])];
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(new Uri(endpoint, "health"), HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
