namespace ContextLite.Node.Indexing;

/// <summary>Registers what the node does for the indexer: internal endpoint options and the dirty tracker.</summary>
internal static class IndexingRegistration
{
    public static IServiceCollection AddNodeIndexingServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InternalOptions>()
            .Bind(configuration.GetSection(InternalOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IndexDirtyTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<IndexDirtyTracker>());
        return services;
    }
}
