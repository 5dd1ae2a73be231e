namespace ContextLite.Node.Cli;

/// <summary>The node's answer to <c>POST /api/v1/documents/bulk</c>: counts and one result per item, in request order.</summary>
internal sealed record IngestBatchResponse(
    string? Workspace, int Added, int Updated, int Unchanged, int Errors, IReadOnlyList<IngestItemResult>? Results);
