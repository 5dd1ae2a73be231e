using System.Security.Cryptography;
using System.Text;

namespace ContextLite.Security;

/// <summary>
/// The configured keys, ready to check a presented key against. Shared by nodes and the gateway so both
/// recognise the same keys with the same rights.
/// </summary>
/// <remarks>
/// The presented key is hashed once and compared with every entry's hash by
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, without stopping at a match, so the time taken says
/// neither how much of a hash matched nor which entry did. The key itself is never stored or logged.
/// </remarks>
public sealed class ApiKeyTable
{
    /// <summary>The workspace entry that grants every workspace.</summary>
    public const string AllWorkspaces = "*";

    private readonly (byte[] Hash, ApiKeyPrincipal Principal)[] _entries;

    /// <summary>Builds the table; <paramref name="options"/> must have passed <see cref="SecurityOptions.Validate"/>.</summary>
    public ApiKeyTable(SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _entries = options.ApiKeys
            .Select((k, i) => (
                Convert.FromHexString(k.Hash!),
                new ApiKeyPrincipal(string.IsNullOrWhiteSpace(k.Name) ? $"key-{i}" : k.Name, ParseRole(k.Role), k.Workspaces)))
            .ToArray();
    }

    /// <summary>True when at least one key is configured, so requests must present one.</summary>
    public bool Enabled => _entries.Length > 0;

    /// <summary>How many keys are configured.</summary>
    public int Count => _entries.Length;

    /// <summary>The key's principal, or null when <paramref name="key"/> is not one of the configured keys.</summary>
    public ApiKeyPrincipal? Authenticate(string? key)
    {
        if (string.IsNullOrEmpty(key) || _entries.Length == 0)
        {
            return null;
        }

        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), presented);
        ApiKeyPrincipal? found = null;
        foreach (var (hash, principal) in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, presented))
            {
                found = principal;
            }
        }

        return found;
    }

    /// <summary>Parses <c>read</c>, <c>write</c> or <c>admin</c> (any case).</summary>
    public static bool TryParseRole(string? value, out ApiKeyRole role)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "read":
                role = ApiKeyRole.Read;
                return true;
            case "write":
                role = ApiKeyRole.Write;
                return true;
            case "admin":
                role = ApiKeyRole.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }

    private static ApiKeyRole ParseRole(string value) => TryParseRole(value, out var role) ? role : throw new ArgumentException($"Unknown role '{value}'.", nameof(value));
}
