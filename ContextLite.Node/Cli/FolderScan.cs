namespace ContextLite.Node.Cli;

/// <summary>The result of walking a folder: the candidate files in ordinal path order, and what was left out.</summary>
internal sealed record FolderScan(IReadOnlyList<FolderFile> Files, IngestSkipCounts Skipped);
