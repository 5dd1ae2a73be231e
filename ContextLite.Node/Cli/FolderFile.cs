namespace ContextLite.Node.Cli;

/// <summary>A file that <see cref="FolderWalker"/> kept.</summary>
/// <param name="FullPath">Where to read it.</param>
/// <param name="RelativePath">Its path under the ingest root with forward slashes: the document's <c>path</c>.</param>
internal sealed record FolderFile(string FullPath, string RelativePath);
