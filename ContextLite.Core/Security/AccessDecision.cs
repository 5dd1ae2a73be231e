namespace ContextLite.Security;

/// <summary>What <see cref="AccessPolicy.Decide"/> answered.</summary>
public enum AccessOutcome
{
    /// <summary>No key is configured: everything is allowed.</summary>
    Open,

    /// <summary><c>/alive</c> or <c>/health</c>: allowed, with a principal when a valid key came with it.</summary>
    Exempt,

    /// <summary>An <c>/internal/</c> path: the cluster key's own check applies.</summary>
    Internal,

    /// <summary>A valid key whose role allows the request.</summary>
    Allowed,

    /// <summary>401: no key, or not a configured one.</summary>
    Unauthorized,

    /// <summary>403: a valid key whose role does not allow the request.</summary>
    Forbidden,
}

/// <summary>An access decision: the outcome, the key's principal when recognised, and a detail for a refusal.</summary>
public sealed record AccessDecision(AccessOutcome Outcome, ApiKeyPrincipal? Principal, string? Detail);
