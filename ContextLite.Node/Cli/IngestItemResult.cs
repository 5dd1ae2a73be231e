namespace ContextLite.Node.Cli;

/// <summary>What the node did with one item of a bulk write; the status is one of the constants below.</summary>
internal sealed record IngestItemResult(
    int Index, string? Id, string? Path, string? Status, long? Version, int? Chunks, int? Tokens, string? Error)
{
    public const string Added = "added";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Failed = "error";
}
