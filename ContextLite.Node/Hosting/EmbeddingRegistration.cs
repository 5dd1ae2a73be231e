using System.ClientModel;
using ContextLite.Embeddings;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ContextLite.Node.Hosting;

/// <summary>Creates the node's embedding generator from <c>embeddings.provider</c>.</summary>
internal static class EmbeddingRegistration
{
    /// <summary>The generator, or null for <c>none</c>.</summary>
    /// <exception cref="InvalidOperationException">The provider is unknown or misconfigured.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>>? Create(EmbeddingOptions options) =>
        options.Provider.ToLowerInvariant() switch
        {
            "minilm" => new MiniLmEmbeddingGenerator(),
            "hashing" => new HashingEmbeddingGenerator(options.Dimensions),
            "openai" => new OpenAIClient(
                    new ApiKeyCredential(options.ApiKey ?? throw Missing("api_key", "openai")),
                    new OpenAIClientOptions { Endpoint = options.Endpoint is null ? null : new Uri(options.Endpoint) })
                .GetEmbeddingClient(options.Model ?? throw Missing("model", "openai"))
                .AsIEmbeddingGenerator(),
            "ollama" => new OllamaSharp.OllamaApiClient(
                new Uri(options.Endpoint ?? "http://localhost:11434"),
                options.Model ?? throw Missing("model", "ollama")),
            "none" => null,
            _ => throw new InvalidOperationException(
                $"embeddings.provider '{options.Provider}' is unknown; use one of {string.Join(", ", EmbeddingOptions.Providers)}."),
        };

    private static InvalidOperationException Missing(string key, string provider) =>
        new($"embeddings.{key} is required when embeddings.provider is '{provider}'.");
}
