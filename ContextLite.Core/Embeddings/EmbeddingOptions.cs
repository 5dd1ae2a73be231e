using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Embeddings;

/// <summary>Which embedding generator the node uses for chunks and queries.</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "embeddings";

    /// <summary>The providers the node knows.</summary>
    public static readonly IReadOnlyList<string> Providers = ["minilm", "hashing", "openai", "ollama", "none"];

    /// <summary><c>minilm</c> (default, in-process, offline), <c>hashing</c>, <c>openai</c>, <c>ollama</c> or <c>none</c>.</summary>
    [ConfigurationKeyName("provider")]
    public string Provider { get; set; } = "minilm";

    /// <summary>The model for <c>openai</c> / <c>ollama</c> (e.g. <c>text-embedding-3-small</c>, <c>all-minilm</c>).</summary>
    [ConfigurationKeyName("model")]
    public string? Model { get; set; }

    /// <summary>The endpoint for <c>openai</c>-compatible servers or <c>ollama</c>.</summary>
    [ConfigurationKeyName("endpoint")]
    public string? Endpoint { get; set; }

    /// <summary>The API key for <c>openai</c>.</summary>
    [ConfigurationKeyName("api_key")]
    public string? ApiKey { get; set; }

    /// <summary>Dimensions of the <c>hashing</c> embedder.</summary>
    [Range(8, 4096)]
    [ConfigurationKeyName("dimensions")]
    public int Dimensions { get; set; } = 384;

    /// <summary>
    /// Chunks embedded per batch in the background; the worker takes up to 1,024 at a time while the embedder
    /// answers a batch within 20 ms (the hashing embedder), so cheap embedding is not dominated by transactions.
    /// </summary>
    [Range(1, 4096)]
    [ConfigurationKeyName("batch_size")]
    public int BatchSize { get; set; } = 32;
}
