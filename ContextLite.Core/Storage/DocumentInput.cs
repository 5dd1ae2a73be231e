namespace ContextLite.Storage;

/// <summary>A document to add or update.</summary>
/// <param name="Id">Optional id; without one the document is matched by path, or gets an id derived from the path.</param>
/// <param name="Path">Where the document lives (a file path or any name the client uses); unique per workspace.</param>
/// <param name="Content">The text.</param>
/// <param name="MetadataJson">Optional metadata as a JSON object, stored verbatim.</param>
public sealed record DocumentInput(string? Id, string Path, string Content, string? MetadataJson = null);
