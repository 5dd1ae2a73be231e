using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ContextLite.Client;

/// <summary>Sending: endpoint choice, failover, and retries of 429/503.</summary>
public sealed partial class ContextLiteClient
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    private readonly SemaphoreSlim _discovery = new(1, 1);
    private readonly Lock _gate = new();
    private IReadOnlyList<Uri>? _endpoints;
    private int _current;

    private async Task<T> SendAsync<T>(
        HttpMethod method, string path, byte[]? body, string? workspace, JsonTypeInfo<T> json, CancellationToken cancellationToken) =>
        (await SendCoreAsync(method, path, body, workspace, json, cancellationToken).ConfigureAwait(false)).Value;

    private async Task<(T Value, Uri Endpoint)> SendCoreAsync<T>(
        HttpMethod method, string path, byte[]? body, string? workspace, JsonTypeInfo<T> json, CancellationToken cancellationToken)
    {
        var retries = 0;
        var unreachable = 0;
        while (true)
        {
            var endpoint = await CurrentEndpointAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new ContextLiteException($"No ContextLite endpoint answered /health: {Describe(_options.Candidates())}.", null, null, null, null);

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(Build(method, endpoint, path, body, workspace), HttpCompletionOption.ResponseContentRead, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Unreachable or timed out: leave this endpoint and try the next one at once. When none is left the
                // next round discovers (or takes the given endpoints) again; the count bounds that.
                Drop(endpoint);
                if (++unreachable > _options.Candidates().Count)
                {
                    throw new ContextLiteException($"No ContextLite endpoint could be reached: {Describe(_options.Candidates())}; last: {endpoint} ({ex.Message}).", null, null, null, endpoint, ex);
                }

                continue;
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    var value = await JsonSerializer.DeserializeAsync(stream, json, cancellationToken).ConfigureAwait(false)
                        ?? throw new ContextLiteException($"{endpoint} answered {path} with an empty body.", response.StatusCode, null, null, endpoint);
                    return (value, endpoint);
                }

                var status = response.StatusCode;
                // 421: a node that is not the workspace's primary (or a gateway whose view of it was a moment old) —
                // after a failover the next attempt finds the new primary.
                if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.MisdirectedRequest
                    && retries < _options.MaxRetries)
                {
                    var wait = RetryAfter(response) ?? Backoff(retries);
                    if (wait <= _options.MaxRetryAfter)
                    {
                        retries++;
                        if (status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.MisdirectedRequest)
                        {
                            // The node is saturated, draining or not the primary; another may not be.
                            Advance(endpoint);
                        }

                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                throw await RefusalAsync(response, endpoint, path, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private HttpRequestMessage Build(HttpMethod method, Uri endpoint, string path, byte[]? body, string? workspace)
    {
        var request = new HttpRequestMessage(method, new Uri(endpoint, path));
        if ((workspace ?? _options.Workspace) is { Length: > 0 } id)
        {
            request.Headers.Add("X-Workspace-ID", id);
        }

        if (_options.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = s_json } };
        }

        return request;
    }

    /// <summary>The server's wait: <c>Retry-After</c> as seconds or as a date.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? TimeSpan.FromTicks(Math.Max(0, (date - _time.GetUtcNow()).Ticks)) : null;
    }

    internal TimeSpan Backoff(int retry)
    {
        var ticks = _options.InitialBackoff.Ticks * Math.Pow(2, Math.Min(retry, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, _options.MaxBackoff.Ticks));
    }

    private async Task<Uri?> CurrentEndpointAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_endpoints is { Count: > 0 } known)
            {
                return known[_current % known.Count];
            }
        }

        await _discovery.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_endpoints is { Count: > 0 } known)
                {
                    return known[_current % known.Count];
                }
            }

            // Given endpoints are used as they are (a gateway's /health may be degraded while it still routes);
            // a port range is probed.
            var found = _options.Endpoints.Count > 0
                ? _options.Candidates()
                : await EndpointDiscovery.ProbeAsync(_http, _options.Candidates(), _options.ProbeTimeout, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _endpoints = found;
                _current = 0;
                return found.Count > 0 ? found[0] : null;
            }
        }
        finally
        {
            _discovery.Release();
        }
    }

    private void Drop(Uri endpoint)
    {
        lock (_gate)
        {
            if (_endpoints is null)
            {
                return;
            }

            var rest = _endpoints.Where(e => e != endpoint).ToList();
            _endpoints = rest.Count > 0 ? rest : null;
            _current = 0;
        }
    }

    private void Advance(Uri endpoint)
    {
        lock (_gate)
        {
            if (_endpoints is { Count: > 1 } known && known[_current % known.Count] == endpoint)
            {
                _current = (_current + 1) % known.Count;
            }
        }
    }

    private static async Task<ContextLiteException> RefusalAsync(HttpResponseMessage response, Uri endpoint, string path, CancellationToken cancellationToken)
    {
        ProblemBody? problem = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            problem = text.Length > 0 ? JsonSerializer.Deserialize(text, ClientJson.Default.ProblemBody) : null;
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's page): the status says enough.
        }

        var status = (int)response.StatusCode;
        var message = string.Create(CultureInfo.InvariantCulture, $"{endpoint}{path} answered {status}") +
            (problem?.Title is { } title ? $" {title}" : string.Empty) + (problem?.Detail is { } detail ? $": {detail}" : ".");
        return new ContextLiteException(message, response.StatusCode, problem?.Title, problem?.Detail, endpoint);
    }

    private static string Describe(IReadOnlyList<Uri> candidates) =>
        candidates.Count switch
        {
            0 => "no candidates (an empty port range)",
            1 => candidates[0].ToString(),
            _ => $"{candidates[0]} … {candidates[^1]} ({candidates.Count} candidates)",
        };
}
