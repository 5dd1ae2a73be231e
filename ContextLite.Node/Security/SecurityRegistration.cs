using ContextLite.Security;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Security;

/// <summary>API keys: the <c>security</c> options (validated at start), the key table, the check on every request.</summary>
internal static class SecurityRegistration
{
    public static IServiceCollection AddNodeSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidation>();
        services.AddSingleton(sp => new ApiKeyTable(sp.GetRequiredService<IOptions<SecurityOptions>>().Value));
        return services;
    }

    /// <summary>Checks keys; says once at start-up whether the node is open.</summary>
    public static WebApplication UseNodeSecurity(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<ApiKeyTable>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ContextLite.Node.Security");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (keys.Enabled)
            {
                SecurityLog.KeysConfigured(logger, keys.Count);
            }
            else
            {
                SecurityLog.OpenAccess(logger);
            }
        });
        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }
}
