namespace ContextLite.Node.Cluster;

/// <summary>Registers membership and the leader lease, and per-workspace activity counting.</summary>
internal static class ClusterRegistration
{
    public static IServiceCollection AddNodeClusterServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MembershipOptions>()
            .Bind(configuration.GetSection(MembershipOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.Redis))
                {
                    o.Redis = configuration["quotas:redis"] is { Length: > 0 } quotas ? quotas : configuration.GetConnectionString("cache");
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ClusterMembership>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMembership>());
        services.AddSingleton<WorkspaceActivity>();
        services.AddTransient<IStartupFilter, WorkspaceActivityStartupFilter>();
        return services;
    }

    // A startup filter puts the counter ahead of the node's whole pipeline without the pipeline knowing of it.
    private sealed class WorkspaceActivityStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<WorkspaceActivityMiddleware>();
            next(app);
        };
    }
}
