using ContextLite.Node.Quotas;
using Microsoft.Extensions.Caching.Hybrid;
using StackExchange.Redis;

namespace ContextLite.Node.Caching;

/// <summary>Registers the assemble cache: <see cref="HybridCache"/> in process, with Redis as its second level when configured.</summary>
internal static class CacheRegistration
{
    public static IServiceCollection AddAssembleCache(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(CacheOptions.Section);
        services.AddOptions<CacheOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<CacheOptions>() ?? new CacheOptions();

        // The same Redis as the quotas: explicit quotas:redis first, else the Aspire connection string.
        var redis = configuration[$"{QuotaOptions.Section}:redis"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            redis = configuration.GetConnectionString(QuotaOptions.ConnectionStringName);
        }

        if (options.Enabled && !string.IsNullOrWhiteSpace(redis))
        {
            services.AddStackExchangeRedisCache(o => o.ConfigurationOptions = RedisOptions(redis));
        }

        services.AddHybridCache(o => o.MaximumPayloadBytes = options.MaxEntryBytes);
        services.AddSingleton<WorkspaceGenerations>();
        services.AddSingleton<WorkspaceCacheLedger>();
        services.AddSingleton<AssembleCache>();
        return services;
    }

    /// <summary>
    /// A cache must never slow a query down: without Redis, calls fail at once (HybridCache logs the failure and
    /// answers from the first level or the engine) instead of queueing until a timeout.
    /// </summary>
    private static ConfigurationOptions RedisOptions(string connection)
    {
        var redis = ConfigurationOptions.Parse(connection);
        redis.AbortOnConnectFail = false;
        redis.BacklogPolicy = BacklogPolicy.FailFast;
        redis.ConnectTimeout = Math.Min(redis.ConnectTimeout, 2000);
        redis.AsyncTimeout = Math.Min(redis.AsyncTimeout, 1000);
        return redis;
    }
}
