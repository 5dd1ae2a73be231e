namespace ContextLite.Security;

/// <summary>Where a request carries its key: <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c>.</summary>
public static class ApiKeyCredentials
{
    /// <summary>The header that may carry the key instead of <c>Authorization</c>.</summary>
    public const string HeaderName = "X-API-Key";

    private const string BearerPrefix = "Bearer ";

    /// <summary>The key presented, or null when neither header carries one.</summary>
    public static string? Extract(string? authorization, string? apiKeyHeader)
    {
        if (authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var key = authorization[BearerPrefix.Length..].Trim();
            if (key.Length > 0)
            {
                return key;
            }
        }

        return string.IsNullOrWhiteSpace(apiKeyHeader) ? null : apiKeyHeader.Trim();
    }
}
