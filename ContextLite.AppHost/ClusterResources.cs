using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace ContextLite.AppHost;

/// <summary>The AppHost's building blocks: Redis in the mode the machine allows, and node shards.</summary>
internal static class ClusterResources
{
    /// <summary>
    /// Redis as <c>Redis:Mode</c> says: <c>container</c>, <c>embedded</c> (Garnet as a project, no container
    /// runtime needed), <c>external</c> (<c>ConnectionStrings:cache</c>), or <c>auto</c> (default): a container
    /// when a container runtime answers or when publishing a manifest, otherwise embedded. AddRedis without a healthy runtime does not fail,
    /// it waits forever, hence the probe.
    /// </summary>
    public static RedisBinding AddContextLiteRedis(this IDistributedApplicationBuilder builder)
    {
        var mode = (builder.Configuration["Redis:Mode"] ?? "auto").ToLowerInvariant();
        if (mode == "auto")
        {
            // A published manifest describes the target, which runs containers, not this machine.
            mode = builder.ExecutionContext.IsPublishMode || ContainerRuntimeAnswers() ? "container" : "embedded";
        }

        switch (mode)
        {
            case "container":
                var container = builder.AddRedis("cache");
                return new RedisBinding(container, container);
            case "external":
                return new RedisBinding(builder.AddConnectionString("cache"), null);
            case "embedded":
                var server = builder.AddProject<Projects.ContextLite_EmbeddedRedis>("cache-server", o => o.ExcludeLaunchProfile = true)
                    .WithEndpoint(name: "tcp", scheme: "tcp", env: "EMBEDDED_REDIS_PORT", isProxied: false);
                var endpoint = server.GetEndpoint("tcp");
                var connection = builder.AddConnectionString("cache", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.HostAndPort)}"));
                return new RedisBinding(connection, server);
            default:
                throw new InvalidOperationException($"Redis:Mode '{mode}' is unknown; use auto, container, embedded or external.");
        }
    }

    /// <summary>
    /// The cluster key as a secret parameter: <c>Parameters:cluster-key</c> when set, otherwise generated at
    /// start (32 letters and digits). Nodes get it as <c>internal:cluster_key</c>, the indexer as <c>indexer:cluster_key</c>.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddClusterKey(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter("cluster-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

    /// <summary>
    /// A node shard: its own name, node id and data directory (never WithReplicas: shards own data). Its
    /// clusters are built by the indexer (<c>clustering:build_on_node=false</c>), which it lets in with the cluster key.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddContextLiteNode(
        this IDistributedApplicationBuilder builder, string name, RedisBinding redis, IResourceBuilder<ParameterResource> clusterKey)
    {
        // Cluster:DataDirectory moves every node's data (tests point it at a temporary directory).
        string dataRoot = builder.Configuration["Cluster:DataDirectory"] is { Length: > 0 } root
            ? Path.GetFullPath(root, builder.AppHostDirectory)
            : Path.Combine(builder.AppHostDirectory, ".data");
        string dataDirectory = Path.Combine(dataRoot, name);
        // A published node runs in its own container: data on a volume at /data, listening beyond loopback.
        bool publishing = builder.ExecutionContext.IsPublishMode;
        string host = publishing ? "0.0.0.0" : "127.0.0.1";
        if (publishing)
        {
            dataDirectory = "/data/" + name;
        }

        var node = builder.AddProject<Projects.ContextLite_Node>(name, o => o.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(env: "CONTEXTLITE_PORT")
            .WithEnvironment("CONTEXTLITE_NODE_ID", name)
            .WithEnvironment("CONTEXTLITE_DB_PATH", dataDirectory)
            .WithEnvironment("CONTEXTLITE_HOST", host)
            .WithEnvironment("CONTEXTLITE_CLUSTER_ENABLED", "true")
            .WithEnvironment("CONTEXTLITE_clustering__build_on_node", "false")
            .WithEnvironment("CONTEXTLITE_internal__cluster_key", clusterKey)
            // Two glibc malloc arenas instead of 8 per core: with the default, RSS kept rising under the soak while
            // the GC heap stayed flat (fragmented native memory of SQLite across thread arenas; docs/reliability.md).
            // glibc reads it before the first thread exists, so it has to come from the environment.
            .WithEnvironment("MALLOC_ARENA_MAX", "2")
            .WithHttpHealthCheck("/alive");
        return redis.Apply(node.WithSettingsFrom(builder.Configuration, "NodeSettings", "CONTEXTLITE_"));
    }

    /// <summary>
    /// <c>Cluster:ReplicationFactor</c>: how many nodes hold each workspace, 2 by default (1 turns replication off),
    /// at most the number of nodes.
    /// </summary>
    public static int ReplicationFactor(this IDistributedApplicationBuilder builder, int nodes)
    {
        var factor = builder.Configuration.GetValue("Cluster:ReplicationFactor", 2);
        if (factor < 1 || factor > nodes)
        {
            throw new InvalidOperationException($"Cluster:ReplicationFactor must be from 1 to {nodes} (the nodes); got {factor}.");
        }

        return factor;
    }

    /// <summary>
    /// Gives each node the replication factor and every other node's HTTP endpoint as a peer
    /// (<c>replication:peers:{id}</c>), by endpoint reference rather than WithReference so that the nodes do not
    /// depend on each other's start (each pulls from a peer once it answers).
    /// </summary>
    public static void ConnectReplicas(this IDistributedApplicationBuilder builder, IReadOnlyList<IResourceBuilder<ProjectResource>> nodes, int factor)
    {
        foreach (var node in nodes)
        {
            node.WithEnvironment("CONTEXTLITE_replication__factor", factor.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (factor == 1)
            {
                continue;
            }

            foreach (var peer in nodes.Where(p => p != node))
            {
                node.WithEnvironment($"CONTEXTLITE_replication__peers__{peer.Resource.Name}", peer.GetEndpoint("http"));
            }
        }
    }

    /// <summary>
    /// Passes every <c>&lt;section&gt;:&lt;key&gt;</c> entry of the AppHost's configuration to the resource as the
    /// environment variable <c>&lt;prefix&gt;&lt;key with : as __&gt;</c>. Nodes get <c>NodeSettings</c> with the
    /// <c>CONTEXTLITE_</c> prefix, which outranks a node's <c>--config</c> YAML
    /// (<c>NodeSettings:cluster:resource_limits:ws:max_tokens_per_minute</c> →
    /// <c>CONTEXTLITE_cluster__resource_limits__ws__max_tokens_per_minute</c>); the gateway gets
    /// <c>GatewaySettings</c> as plain variables (<c>GatewaySettings:cluster:load_balancing:health_check_interval</c>).
    /// </summary>
    public static IResourceBuilder<T> WithSettingsFrom<T>(this IResourceBuilder<T> resource, IConfiguration configuration, string section, string prefix)
        where T : IResourceWithEnvironment
    {
        foreach (var (key, value) in configuration.GetSection(section).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                string name = prefix + key.Replace(":", "__", StringComparison.Ordinal);
                resource.WithEnvironment(name, value);
            }
        }

        return resource;
    }

    /// <summary>
    /// The gateway's port from <c>Gateway:Port</c>: 8000 (the seed's load-balancer port) when unset, and
    /// <c>0</c> for a port Aspire picks, so that tests can run while something else holds 8000.
    /// </summary>
    public static int? GatewayPort(this IDistributedApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue("Gateway:Port", 8000);
        return port == 0 ? null : port;
    }

    private static bool ContainerRuntimeAnswers()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (probe is null)
            {
                return false;
            }

            if (!probe.WaitForExit(5000))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // No docker client at all.
        }
    }
}

/// <summary>How resources reach Redis: a connection string named <c>cache</c>, and what to wait for.</summary>
internal sealed record RedisBinding(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource>? Server)
{
    public IResourceBuilder<T> Apply<T>(IResourceBuilder<T> resource)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        resource.WithReference(Connection);
        if (Server is not null)
        {
            resource.WaitFor(Server);
        }

        return resource;
    }
}
