using ContextLite.Security;

namespace ContextLite.Node.Tests.Security;

/// <summary>The keys the access-control tests configure: each key's text, and the settings that hold only its hash.</summary>
public static class ApiKeys
{
    public const string ReadAlpha = "read-alpha-4f1c2d9e";
    public const string WriteAlpha = "write-alpha-8b7a6c5d";
    public const string WriteBeta = "write-beta-1a2b3c4d";
    public const string Admin = "admin-all-9e8d7c6b";
    public const string Wrong = "not-a-configured-key";

    /// <summary>read/write on <c>alpha</c>, write on <c>beta</c>, admin on <c>*</c>; optionally more settings.</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>();
        var i = 0;
        foreach (var (name, key, role, workspace) in new[]
        {
            ("reader-alpha", ReadAlpha, "read", "alpha"),
            ("writer-alpha", WriteAlpha, "write", "alpha"),
            ("writer-beta", WriteBeta, "write", "beta"),
            ("admin", Admin, "admin", "*"),
        })
        {
            settings[$"security:api_keys:{i}:name"] = name;
            settings[$"security:api_keys:{i}:hash"] = ApiKeyHash.Compute(key);
            settings[$"security:api_keys:{i}:role"] = role;
            settings[$"security:api_keys:{i}:workspaces:0"] = workspace;
            i++;
        }

        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static HttpRequestMessage With(this HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }
}
