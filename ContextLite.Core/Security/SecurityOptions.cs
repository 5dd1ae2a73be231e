using Microsoft.Extensions.Configuration;

namespace ContextLite.Security;

/// <summary>
/// The <c>security</c> section, read by nodes and the gateway alike: when <see cref="ApiKeys"/> is empty the
/// service is open; otherwise every public endpoint needs one of the keys.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "security";

    /// <summary>The accepted keys, as hashes. Two entries may be valid at once while a key is rotated.</summary>
    [ConfigurationKeyName("api_keys")]
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>Every problem of the section, phrased with the configuration keys.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var entry = ApiKeys[i];
            var at = $"security.api_keys[{i}]{(string.IsNullOrWhiteSpace(entry.Name) ? "" : $" ({entry.Name})")}";
            if (!ApiKeyHash.IsValid(entry.Hash))
            {
                problems.Add($"{at}.hash must be the SHA-256 of the key as 64 hex digits (contextlite-node hash-key <key> prints it).");
            }

            if (!ApiKeyTable.TryParseRole(entry.Role, out _))
            {
                problems.Add($"{at}.role '{entry.Role}' is unknown; use read, write or admin.");
            }

            if (entry.Workspaces.Count == 0)
            {
                problems.Add($"{at}.workspaces is empty; list workspace ids or \"*\".");
            }

            foreach (var workspace in entry.Workspaces)
            {
                if (workspace != ApiKeyTable.AllWorkspaces && !Workspaces.WorkspaceId.TryCreate(workspace, out _, out var error))
                {
                    problems.Add($"{at}.workspaces: '{workspace}' is not a workspace id: {error}");
                }
            }
        }

        var duplicates = ApiKeys.Where(k => ApiKeyHash.IsValid(k.Hash)).GroupBy(k => k.Hash!.ToLowerInvariant()).Where(g => g.Count() > 1);
        foreach (var duplicate in duplicates)
        {
            problems.Add($"security.api_keys: {duplicate.Count()} entries share one hash; a key must map to one role and workspace list.");
        }

        return problems;
    }
}
