using ContextLite.Workspaces;

namespace ContextLite.Security;

/// <summary>The key a request presented, once recognised: its name, role and workspaces.</summary>
public sealed class ApiKeyPrincipal
{
    private readonly HashSet<string> _workspaces;

    internal ApiKeyPrincipal(string name, ApiKeyRole role, IEnumerable<string> workspaces)
    {
        Name = name;
        Role = role;
        _workspaces = new HashSet<string>(workspaces.Select(w => w.Trim().ToLowerInvariant()), StringComparer.Ordinal);
        AllWorkspaces = _workspaces.Contains(ApiKeyTable.AllWorkspaces);
    }

    /// <summary>The configured name (never the key).</summary>
    public string Name { get; }

    /// <summary>What the key may do.</summary>
    public ApiKeyRole Role { get; }

    /// <summary>True for a <c>*</c> key.</summary>
    public bool AllWorkspaces { get; }

    /// <summary>Whether the key may use <paramref name="workspace"/>.</summary>
    public bool CanAccess(WorkspaceId workspace) => AllWorkspaces || _workspaces.Contains(workspace.Value);

    /// <summary>Whether the key may use the workspace named <paramref name="workspace"/> (canonical id).</summary>
    public bool CanAccess(string workspace) => AllWorkspaces || _workspaces.Contains(workspace);

    /// <summary>Whether the key's role includes <paramref name="required"/>.</summary>
    public bool Allows(ApiKeyRole required) => Role >= required;
}
