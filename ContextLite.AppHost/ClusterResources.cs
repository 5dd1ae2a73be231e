using System.Diagnostics;

namespace ContextLite.AppHost;

/// <summary>The AppHost's building blocks: Redis in the mode the machine allows, and node shards.</summary>
internal static class ClusterResources
{
    /// <summary>
    /// Redis as <c>Redis:Mode</c> says: <c>container</c>, <c>embedded</c> (Garnet as a project, no container
    /// runtime needed), <c>external</c> (<c>ConnectionStrings:cache</c>), or <c>auto</c> (default): a container
    /// when a container runtime answers, otherwise embedded. AddRedis without a healthy runtime does not fail,
    /// it waits forever, hence the probe.
    /// </summary>
    public static RedisBinding AddContextLiteRedis(this IDistributedApplicationBuilder builder)
    {
        var mode = (builder.Configuration["Redis:Mode"] ?? "auto").ToLowerInvariant();
        if (mode == "auto")
        {
            mode = ContainerRuntimeAnswers() ? "container" : "embedded";
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

    /// <summary>A node shard: its own name, node id and data directory (never WithReplicas: shards own data).</summary>
    public static IResourceBuilder<ProjectResource> AddContextLiteNode(this IDistributedApplicationBuilder builder, string name, RedisBinding redis)
    {
        string dataDirectory = Path.Combine(builder.AppHostDirectory, ".data", name);
        var node = builder.AddProject<Projects.ContextLite_Node>(name, o => o.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(env: "CONTEXTLITE_PORT")
            .WithEnvironment("CONTEXTLITE_NODE_ID", name)
            .WithEnvironment("CONTEXTLITE_DB_PATH", dataDirectory)
            .WithEnvironment("CONTEXTLITE_HOST", "127.0.0.1")
            .WithEnvironment("CONTEXTLITE_CLUSTER_ENABLED", "true")
            .WithHttpHealthCheck("/alive");
        return redis.Apply(node);
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
