using System.Text.Json;

namespace ContextLite.Client.Contracts;

/// <summary>A document to add or update: by <see cref="Id"/>, or by <see cref="Path"/> when no id is given.</summary>
public sealed record DocumentToAdd(string Path, string Content, string? Id = null, JsonElement? Metadata = null);
