using ContextLite.Storage;

namespace ContextLite.Node.Api;

/// <summary>A parsed write request: the items (each valid or carrying its error) and how they were sent.</summary>
/// <param name="Items">One entry per document in request order.</param>
/// <param name="IsBatch">True when the body was an array or a <c>{documents: [...]}</c> wrapper.</param>
/// <param name="WorkspacePath">The body's <c>workspace_path</c>, if any.</param>
internal sealed record DocumentBody(IReadOnlyList<DocumentItem> Items, bool IsBatch, string? WorkspacePath);

/// <summary>One document of a write request: its input, or why it could not be read.</summary>
internal sealed record DocumentItem(DocumentInput? Input, string? Error, string? Id, string? Path);
