using Microsoft.Extensions.DependencyInjection;

namespace ContextLite.Client;

/// <summary>Registers <see cref="ContextLiteClient"/> as a typed <see cref="HttpClient"/>.</summary>
public static class ContextLiteClientRegistration
{
    /// <summary>Adds the client; <paramref name="configure"/> sets endpoints, workspace and API key.</summary>
    public static IHttpClientBuilder AddContextLiteClient(this IServiceCollection services, Action<ContextLiteClientOptions> configure)
    {
        services.AddOptions<ContextLiteClientOptions>()
            .Configure(configure)
            .Validate(o => o.Problem() is null, "ContextLite client options are invalid: check the discovery ports and retry settings.")
            .ValidateOnStart();
        return services.AddHttpClient<ContextLiteClient>();
    }
}
