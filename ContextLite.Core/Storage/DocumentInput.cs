namespace ContextLite.Storage;

/// <summary>A document to add or update.</summary>
/// <param name="Id">Optional id; without one the document is matched by path, or gets an id derived from the path.</param>
/// <param name="Path">Where the document lives (a file path or any name the client uses); unique per workspace.</param>
/// <param name="Content">The text.</param>
/// <param name="MetadataJson">Optional metadata as a JSON object, stored verbatim.</param>
/// <param name="Embedding">Optional bring-your-own vector for the document; every chunk of it gets this vector.</param>
/// <param name="EmbeddingModel">The model that produced <paramref name="Embedding"/>; defaults to <c>external-{dimension}</c>.</param>
public sealed record DocumentInput(
    string? Id,
    string Path,
    string Content,
    string? MetadataJson = null,
    float[]? Embedding = null,
    string? EmbeddingModel = null);
