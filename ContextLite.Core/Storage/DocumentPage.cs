namespace ContextLite.Storage;

/// <summary>One page of a document listing, ordered by id.</summary>
/// <param name="Items">The documents on this page (without content).</param>
/// <param name="Total">How many documents the workspace holds.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; null on the last page.</param>
public sealed record DocumentPage(IReadOnlyList<DocumentRecord> Items, long Total, string? NextCursor);
