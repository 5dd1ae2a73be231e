namespace ContextLite.Client.Contracts;

/// <summary>What a bulk write did, item by item.</summary>
public sealed record AddDocumentsResult(string Workspace, int Added, int Updated, int Unchanged, int Errors, IReadOnlyList<AddedDocument> Results);

/// <summary>One item of a bulk write; <see cref="Error"/> says why it was not written.</summary>
public sealed record AddedDocument(int Index, string? Id, string? Path, string Status, long? Version, int? Chunks, int? Tokens, string? Error);
