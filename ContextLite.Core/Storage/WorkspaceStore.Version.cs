namespace ContextLite.Storage;

public sealed partial class WorkspaceStore
{
    /// <summary>
    /// The workspace version (bumped by every committed document write) and the clusters version (bumped by every
    /// stored IVF rebuild), read in one cheap look-up of two meta rows; for keys of caches that must follow both.
    /// </summary>
    public (long Version, long ClustersVersion) CurrentVersions()
    {
        using var connection = Open();
        return (
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "version")),
            ParseLong(WorkspaceSchema.ReadMetaValue(connection, null, "clusters_version")));
    }
}
