using Microsoft.Extensions.Configuration;

namespace ContextLite.Security;

/// <summary>One configured key: never the key itself, only the SHA-256 of it (<c>contextlite-node hash-key</c>).</summary>
public sealed class ApiKeyEntry
{
    /// <summary>A label for people and logs (the key's owner), never the key.</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; set; }

    /// <summary>The SHA-256 of the key's UTF-8 bytes, 64 hex digits.</summary>
    [ConfigurationKeyName("hash")]
    public string? Hash { get; set; }

    /// <summary><c>read</c>, <c>write</c> or <c>admin</c>.</summary>
    [ConfigurationKeyName("role")]
    public string Role { get; set; } = "read";

    /// <summary>The workspace ids the key may use; <c>*</c> for all.</summary>
    [ConfigurationKeyName("workspaces")]
    public List<string> Workspaces { get; set; } = [];
}
