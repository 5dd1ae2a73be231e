namespace ContextLite.Storage;

/// <summary>Vectors of another model or dimension than the workspace already holds.</summary>
public sealed class EmbeddingModelMismatchException(string message) : InvalidOperationException(message);
