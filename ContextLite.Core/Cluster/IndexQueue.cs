using System.Globalization;

namespace ContextLite.Cluster;

/// <summary>
/// The Redis keys and record format that nodes and the indexer share for cluster rebuilds (relative to the
/// cluster's key prefix, <c>contextlite:</c> by default).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>{prefix}index:dirty</c> — hash, workspace → vectors added, changed or removed since the last build
/// the node swapped in (nodes add with HINCRBY; the indexer subtracts what it built from, so changes during a
/// build stay counted).</item>
/// <item><c>{prefix}index:workspaces</c> — hash, workspace → <see cref="IndexedWorkspace"/> as
/// <c>node \t vectors \t K</c>, rewritten by the owning node after each change and each swap.</item>
/// <item><c>{prefix}index:lease</c> — the indexer lease (instance id, TTL renewed by heartbeat).</item>
/// </list>
/// </remarks>
public static class IndexQueue
{
    /// <summary>The default key prefix (the node's <c>membership:key_prefix</c>).</summary>
    public const string DefaultPrefix = "contextlite:";

    /// <summary>The dirty-count hash under <paramref name="prefix"/>.</summary>
    public static string DirtyKey(string prefix) => prefix + "index:dirty";

    /// <summary>The workspace-record hash under <paramref name="prefix"/>.</summary>
    public static string WorkspacesKey(string prefix) => prefix + "index:workspaces";

    /// <summary>The indexer lease under <paramref name="prefix"/>.</summary>
    public static string LeaseKey(string prefix) => prefix + "index:lease";

    /// <summary>Encodes a workspace record.</summary>
    public static string Format(IndexedWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return string.Create(CultureInfo.InvariantCulture, $"{workspace.Node}\t{workspace.Vectors}\t{workspace.Clusters}");
    }

    /// <summary>Decodes a workspace record; false when it is malformed.</summary>
    public static bool TryParse(string? value, out IndexedWorkspace workspace)
    {
        workspace = new IndexedWorkspace("", 0, 0);
        var parts = value?.Split('\t');
        if (parts is not { Length: 3 } || parts[0].Length == 0
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var vectors)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var clusters))
        {
            return false;
        }

        workspace = new IndexedWorkspace(parts[0], vectors, clusters);
        return true;
    }
}

/// <summary>What a node last reported about a workspace it owns.</summary>
/// <param name="Node">The owning node's id.</param>
/// <param name="Vectors">Vectors (embedded chunks) in the workspace.</param>
/// <param name="Clusters">K of its current IVF clusters; 0 before the first build.</param>
public sealed record IndexedWorkspace(string Node, long Vectors, int Clusters);
