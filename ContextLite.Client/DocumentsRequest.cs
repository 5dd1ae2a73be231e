using ContextLite.Client.Contracts;

namespace ContextLite.Client;

/// <summary>The body of <c>POST /api/v1/documents/bulk</c>.</summary>
internal sealed record DocumentsRequest(IReadOnlyList<DocumentToAdd> Documents);
