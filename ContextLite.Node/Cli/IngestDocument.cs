namespace ContextLite.Node.Cli;

/// <summary>
/// One document of a bulk write. No id: the node derives a stable one from the path, so running ingest
/// again updates documents (or leaves them unchanged) instead of duplicating them.
/// </summary>
internal sealed record IngestDocument(string Path, string Content);
