namespace ContextLite.Client;

/// <summary>Where the client finds ContextLite and how patiently it retries.</summary>
public sealed class ContextLiteClientOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string Section = "ContextLite";

    /// <summary>
    /// Node or gateway base addresses, tried in order (the next one when one cannot be reached). When empty, the
    /// client discovers nodes by probing <c>/health</c> on <see cref="DiscoveryHost"/> over the port range.
    /// </summary>
    public IList<Uri> Endpoints { get; } = [];

    /// <summary>The host probed by discovery.</summary>
    public string DiscoveryHost { get; set; } = "localhost";

    /// <summary>The first port probed by discovery (the seed's nodes listen from 8080).</summary>
    public int DiscoveryPortStart { get; set; } = 8080;

    /// <summary>The last port probed by discovery, inclusive.</summary>
    public int DiscoveryPortEnd { get; set; } = 8090;

    /// <summary>How long a discovery probe waits for <c>/health</c>.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The workspace sent as <c>X-Workspace-ID</c> unless a call names another; the server's default when null.</summary>
    public string? Workspace { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c> when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries of a request refused with 429, 503 or 421 (not the primary) (so at most <c>MaxRetries + 1</c> attempts).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first wait when the server gives no <c>Retry-After</c>; it doubles per retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between retries computed by backoff.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the refusal is reported at once.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>What is wrong with these options, or null.</summary>
    public string? Problem() =>
        DiscoveryPortStart is < 1 or > 65535 || DiscoveryPortEnd is < 1 or > 65535 ? "Discovery ports must be from 1 to 65535."
        : DiscoveryPortEnd < DiscoveryPortStart ? $"The discovery port range {DiscoveryPortStart}-{DiscoveryPortEnd} is empty."
        : MaxRetries < 0 ? "MaxRetries must not be negative."
        : InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff ? "Backoff must be positive, and MaxBackoff at least InitialBackoff."
        : null;

    /// <summary>The candidate base addresses: <see cref="Endpoints"/>, or the discovery port range.</summary>
    internal IReadOnlyList<Uri> Candidates() =>
        Endpoints.Count > 0
            ? [.. Endpoints]
            : [.. Enumerable.Range(DiscoveryPortStart, Math.Max(0, DiscoveryPortEnd - DiscoveryPortStart + 1)).Select(p => new UriBuilder("http", DiscoveryHost, p).Uri)];
}
