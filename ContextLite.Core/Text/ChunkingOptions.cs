using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Text;

/// <summary>How documents are split into chunks.</summary>
public sealed class ChunkingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "chunking";

    /// <summary>The largest chunk in tokens; long documents are split on paragraph, then line boundaries.</summary>
    [Range(16, 8192)]
    [ConfigurationKeyName("max_tokens")]
    public int MaxTokens { get; set; } = 512;
}
