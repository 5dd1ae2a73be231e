namespace ContextLite.Node.Configuration;

/// <summary>How requests are mapped to workspaces beyond the explicit methods.</summary>
internal sealed class WorkspaceOptions
{
    public const string Section = "workspaces";

    /// <summary>User-Agent substring (case-insensitive) to workspace id, tried in order.</summary>
    [ConfigurationKeyName("user_agent_map")]
    public Dictionary<string, string> UserAgentMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
