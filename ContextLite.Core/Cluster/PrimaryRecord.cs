using System.Globalization;

namespace ContextLite.Cluster;

/// <summary>
/// A workspace's primary and the epoch it was elected in, as the nodes record it in Redis (<c>node|epoch</c>) and the
/// gateway reads it.
/// </summary>
/// <param name="Node">The primary's node id.</param>
/// <param name="Epoch">The epoch it was elected in; every change of primary takes the next one.</param>
public readonly record struct PrimaryRecord(string Node, long Epoch)
{
    /// <summary>The replication source a replica records while it follows this primary: <c>node/epoch</c>.</summary>
    public string Source => Node + "/" + Epoch.ToString(CultureInfo.InvariantCulture);

    /// <summary>The Redis key of <paramref name="workspace"/>'s record: <c>{prefix}primary:{workspace}</c>.</summary>
    public static string KeyOf(string prefix, string workspace) => prefix + "primary:" + workspace;

    /// <summary>Reads <c>node|epoch</c>; null for no record or one that does not have that shape.</summary>
    public static PrimaryRecord? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var bar = text.LastIndexOf('|');
        return bar > 0 && long.TryParse(text.AsSpan(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? new PrimaryRecord(text[..bar], epoch)
            : null;
    }

    /// <summary>The stored form, <c>node|epoch</c>.</summary>
    public override string ToString() => Node + "|" + Epoch.ToString(CultureInfo.InvariantCulture);
}
