using ContextLite.Cluster;

namespace ContextLite.Node.Configuration;

/// <summary>Binds the seed's cluster schema, which allows some sections at the top level too.</summary>
internal static class NodeOptionsBinder
{
    /// <summary>
    /// Binds <c>cluster</c>, then the top-level <c>resource_limits</c> and <c>affinity</c> sections (the seed's
    /// guide shows both placements), so either layout of <c>cluster.yaml</c> works.
    /// </summary>
    public static void BindCluster(IConfiguration configuration, ClusterOptions options)
    {
        configuration.GetSection(ClusterOptions.Section).Bind(options);
        configuration.GetSection("resource_limits").Bind(options.ResourceLimits);
        configuration.GetSection("affinity").Bind(options.Affinity);
    }
}
