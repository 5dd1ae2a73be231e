namespace ContextLite.Node.Replication;

/// <summary>Registers replication: options, the coordinator, the pulling loop and its HTTP client.</summary>
internal static class ReplicationRegistration
{
    public static IServiceCollection AddNodeReplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReplicationOptions>()
            .Bind(configuration.GetSection(ReplicationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Peers.Values.All(u => Uri.TryCreate(u, UriKind.Absolute, out _)), "replication:peers must map node ids to absolute URLs.")
            .ValidateOnStart();
        services.AddSingleton<ReplicationCoordinator>();
        services.AddHostedService<ReplicaPuller>();

        // No retry or attempt-timeout handler: a pull is a long poll and a failed one is retried by the loop, whose
        // failure time decides failover; a resilience pipeline would hide that time behind its own backoff.
#pragma warning disable EXTEXP0001 // Experimental in Microsoft.Extensions.Http.Resilience 10.x; the one way to opt a named client out of the defaults' handler.
        services.AddHttpClient(ReplicaPuller.ClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services;
    }
}
