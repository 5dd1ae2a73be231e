namespace ContextLite.Node.Quotas;

/// <summary>
/// The token-bucket rule shared by <see cref="LocalQuotaStore"/> and the Lua of <see cref="RedisQuotaStore"/>.
/// </summary>
/// <remarks>
/// A bucket holds at most <c>capacity</c> tokens and refills continuously at <c>capacity</c> per minute, so a
/// workspace can burst a full minute's budget and then sustain the per-minute rate. A missing bucket is full.
/// The wait for <c>n</c> tokens is <c>ceil((n − tokens) · 60000 / capacity)</c> milliseconds; the Lua computes the
/// same expression in the same order so both stores answer the same numbers.
/// </remarks>
internal static class TokenBucket
{
    public const double MillisecondsPerMinute = 60_000d;

    /// <summary>Tokens after refilling from <paramref name="updatedMs"/> to <paramref name="nowMs"/>; a clock that went back refills nothing.</summary>
    public static double Refill(double tokens, long updatedMs, long nowMs, double capacity) =>
        nowMs > updatedMs ? Math.Min(capacity, tokens + ((nowMs - updatedMs) * capacity / MillisecondsPerMinute)) : Math.Min(capacity, tokens);

    /// <summary>How long until a bucket holding <paramref name="tokens"/> holds <paramref name="wanted"/>.</summary>
    public static TimeSpan WaitFor(double wanted, double tokens, double capacity) =>
        wanted <= tokens ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling((wanted - tokens) * MillisecondsPerMinute / capacity));
}
