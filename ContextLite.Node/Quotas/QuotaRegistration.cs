namespace ContextLite.Node.Quotas;

/// <summary>Registers quota admission: options, the <see cref="QuotaService"/> and its Redis connection at start.</summary>
internal static class QuotaRegistration
{
    public static IServiceCollection AddQuotaServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QuotaOptions>()
            .Bind(configuration.GetSection(QuotaOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.Redis))
                {
                    o.Redis = configuration.GetConnectionString(QuotaOptions.ConnectionStringName);
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<QuotaService>();
        services.AddHostedService(sp => sp.GetRequiredService<QuotaService>());
        return services;
    }
}
