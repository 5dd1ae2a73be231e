namespace ContextLite.Security;

/// <summary>What a key may do; each role includes the ones before it.</summary>
public enum ApiKeyRole
{
    /// <summary>Reads: GET endpoints, assemble, search, the MCP read tools.</summary>
    Read,

    /// <summary>Read, plus adding, updating and deleting documents.</summary>
    Write,

    /// <summary>Everything, including deleting a workspace.</summary>
    Admin,
}
