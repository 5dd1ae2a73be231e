using System.Security.Cryptography;
using System.Text;

namespace ContextLite.Security;

/// <summary>How a key is stored: the lower-case hex SHA-256 of its UTF-8 bytes.</summary>
public static class ApiKeyHash
{
    /// <summary>The hash of <paramref name="key"/> as 64 lower-case hex digits.</summary>
    public static string Compute(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>True when <paramref name="hash"/> is 64 hex digits.</summary>
    public static bool IsValid(string? hash) =>
        hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit);
}
