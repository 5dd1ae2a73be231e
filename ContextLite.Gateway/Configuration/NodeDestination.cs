namespace ContextLite.Gateway.Configuration;

/// <summary>One node as the proxy sees it: its id (hashed on the ring) and the address YARP forwards to.</summary>
internal sealed record NodeDestination(string NodeId, string Address)
{
    /// <summary>
    /// The node id of a YARP destination id. Service discovery expands destination <c>node-1</c> into
    /// <c>node-1[http://localhost:38147/]</c>; the ring must hash the stable part before <c>[</c>.
    /// </summary>
    public static string NodeIdOf(string destinationId)
    {
        ArgumentNullException.ThrowIfNull(destinationId);
        var cut = destinationId.IndexOf('[', StringComparison.Ordinal);
        return cut > 0 ? destinationId[..cut] : destinationId;
    }
}
