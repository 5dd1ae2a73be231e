using System.Diagnostics.CodeAnalysis;

namespace ContextLite.Workspaces;

/// <summary>
/// A validated workspace identifier: <c>^[a-z0-9][a-z0-9._-]{0,63}$</c> after lower-casing, without "..".
/// </summary>
/// <remarks>
/// The id becomes a file name in the node's data directory, so the grammar is deliberately narrow:
/// no separators, no NUL, no leading dot, no "..", and at most 64 characters. Every way into the engine
/// (HTTP path, header, query, body, user agent, configuration) goes through <see cref="TryCreate"/>.
/// </remarks>
public readonly record struct WorkspaceId
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>The workspace used when a request names none.</summary>
    public static WorkspaceId Default { get; } = new("default");

    private WorkspaceId(string value) => Value = value;

    /// <summary>The canonical (lower-case) id.</summary>
    public string Value { get; }

    /// <summary>Validates and canonicalises <paramref name="candidate"/>.</summary>
    /// <param name="candidate">The raw id as the client sent it.</param>
    /// <param name="id">The canonical id when valid.</param>
    /// <param name="error">What is wrong with it, phrased so a user knows what to fix.</param>
    public static bool TryCreate(string? candidate, out WorkspaceId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (string.IsNullOrEmpty(candidate))
        {
            error = "Workspace id is empty.";
            return false;
        }

        if (candidate.Length > MaxLength)
        {
            error = $"Workspace id is {candidate.Length} characters long; the limit is {MaxLength}.";
            return false;
        }

        var lowered = candidate.ToLowerInvariant();
        for (var i = 0; i < lowered.Length; i++)
        {
            var c = lowered[i];
            var alnum = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (i == 0 && !alnum)
            {
                error = "Workspace id must start with a letter or digit (a-z, 0-9).";
                return false;
            }

            if (!alnum && c is not ('.' or '_' or '-'))
            {
                error = $"Workspace id contains '{Printable(c)}' at position {i}; only a-z, 0-9, '.', '_' and '-' are allowed.";
                return false;
            }
        }

        if (lowered.Contains("..", StringComparison.Ordinal))
        {
            error = "Workspace id must not contain '..'.";
            return false;
        }

        id = new WorkspaceId(lowered);
        error = null;
        return true;
    }

    /// <summary>Validates <paramref name="candidate"/> or throws <see cref="ArgumentException"/>.</summary>
    public static WorkspaceId Parse(string candidate) =>
        TryCreate(candidate, out var id, out var error) ? id : throw new ArgumentException(error, nameof(candidate));

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;

    private static string Printable(char c) => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
