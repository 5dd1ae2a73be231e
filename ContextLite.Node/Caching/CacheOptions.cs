using System.ComponentModel.DataAnnotations;

namespace ContextLite.Node.Caching;

/// <summary>
/// The <c>cache</c> section: the assemble-result cache (in process, and in Redis as a second level when
/// <c>quotas:redis</c> or <c>ConnectionStrings:cache</c> names one).
/// </summary>
internal sealed class CacheOptions
{
    public const string Section = "cache";

    /// <summary>False answers every assemble afresh and reports <c>cache.status: "bypass"</c>.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>How long an entry lives in either level. Writes invalidate by key, so this only bounds memory.</summary>
    [ConfigurationKeyName("ttl_seconds")]
    [Range(1, 604_800)]
    public int TtlSeconds { get; set; } = 300;

    /// <summary>Answers whose serialized form is larger than this are not cached (default 1 MiB).</summary>
    [ConfigurationKeyName("max_entry_bytes")]
    [Range(1024, 268_435_456)]
    public int MaxEntryBytes { get; set; } = 1 << 20;
}
