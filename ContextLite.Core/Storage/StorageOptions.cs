using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Storage;

/// <summary>Where and how workspaces are stored, and the limits on what a document may be.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "storage";

    /// <summary>The node's data directory; each workspace is <c>{data_dir}/{workspace}.db</c>.</summary>
    [Required]
    [ConfigurationKeyName("data_dir")]
    [JsonPropertyName("data_dir")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The largest document content in bytes of UTF-8 (default 4 MiB).</summary>
    [Range(1, 256 * 1024 * 1024)]
    [ConfigurationKeyName("max_document_bytes")]
    public int MaxDocumentBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest metadata object in bytes of JSON (default 64 KiB).</summary>
    [Range(0, 16 * 1024 * 1024)]
    [ConfigurationKeyName("max_metadata_bytes")]
    public int MaxMetadataBytes { get; set; } = 64 * 1024;

    /// <summary>The longest document path in characters.</summary>
    [Range(1, 4096)]
    [ConfigurationKeyName("max_path_length")]
    public int MaxPathLength { get; set; } = 1024;

    /// <summary>The longest document id in characters.</summary>
    [Range(1, 1024)]
    [ConfigurationKeyName("max_id_length")]
    public int MaxIdLength { get; set; } = 256;

    /// <summary>
    /// How much of a workspace's database file each query-path read connection maps into memory (SQLite
    /// <c>mmap_size</c>), in MiB; 0 reads through <c>pread</c> only. The mapping is of the file: pages the
    /// operating system already caches are shared, not copied per connection, and a file smaller than this maps
    /// only its size. SQLite caps it at its build's limit (2 GiB here). A query reads pages all over a large
    /// file (posting lists, chunk rows, documents), so the part beyond the map pays a system call per page.
    /// </summary>
    [Range(0, 1024 * 1024)]
    [ConfigurationKeyName("mmap_mb")]
    public int MmapMegabytes { get; set; } = 2048;
}
