namespace ContextLite.Node.Caching;

/// <summary>
/// How the assemble cache served an answer: <c>hit</c> (stored answer, nothing retrieved or solved; its
/// <c>timings_ms</c> and <c>solver.elapsed_ms</c> are those of the call that computed it), <c>miss</c> (computed
/// now and stored) or <c>bypass</c> (the cache is off). <c>key_version</c> is the state the key stands for:
/// <c>{workspace version}.{clusters version}.{embeddings generation}</c>. <c>memory_limited</c> is true when the
/// workspace's <c>max_memory_mb</c> kept this answer out of the in-process level or evicted older answers for it.
/// </summary>
internal sealed record CacheResponse(string Status, string? KeyVersion, bool? MemoryLimited = null)
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string Bypass = "bypass";

    public static CacheResponse Bypassed { get; } = new(Bypass, null);
}
