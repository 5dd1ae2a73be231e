using System.Text;

namespace ContextLite.Workspaces;

/// <summary>
/// Resolves the workspace of a request from, in order of precedence: the path
/// (<c>/workspace/{id}/...</c>), the <c>X-Workspace-ID</c> header (an error when it names another workspace than the path), the <c>workspace</c> query value, the
/// body's <c>workspace_path</c> (last segment, slugged), the User-Agent, else <c>default</c>.
/// </summary>
/// <remarks>
/// The gateway routes and the node stores by the same answer, so this type is host-free and
/// deterministic. An explicit but invalid id (path, header, query, User-Agent comment) is an error rather
/// than a silent fall-through: a typo must not send documents to another workspace. A body path is a
/// hint derived from a file-system path, so one that slugs to nothing falls through instead.
/// </remarks>
public sealed class WorkspaceResolver
{
    /// <summary>The header that names a workspace.</summary>
    public const string HeaderName = "X-Workspace-ID";

    /// <summary>The query parameter that names a workspace.</summary>
    public const string QueryName = "workspace";

    /// <summary>The path prefix that names a workspace.</summary>
    public const string PathPrefix = "/workspace/";

    private const string UserAgentKey = "workspace=";

    private readonly KeyValuePair<string, WorkspaceId>[] _userAgentMap;

    /// <summary>Creates a resolver.</summary>
    /// <param name="userAgentMap">
    /// Optional map from a User-Agent substring (case-insensitive) to a workspace id; the first match in
    /// order wins. Invalid ids in the map throw, so configuration errors surface at start-up.
    /// </param>
    public WorkspaceResolver(IEnumerable<KeyValuePair<string, string>>? userAgentMap = null)
    {
        _userAgentMap = (userAgentMap ?? [])
            .Where(p => !string.IsNullOrWhiteSpace(p.Key))
            .Select(p => KeyValuePair.Create(p.Key, WorkspaceId.Parse(p.Value)))
            .ToArray();
    }

    /// <summary>Resolves the workspace of <paramref name="request"/>.</summary>
    public WorkspaceResolution Resolve(WorkspaceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (TryGetPathSegment(request.Path, out var fromPath))
        {
            var inPath = Validate(fromPath, WorkspaceSource.Path);
            if (inPath.IsValid && request.Header is not null
                && WorkspaceId.TryCreate(request.Header.Trim(), out var inHeader, out _) && inHeader != inPath.Id)
            {
                // Two explicit answers that disagree: picking one silently could read or write the other workspace.
                return WorkspaceResolution.Invalid(
                    WorkspaceSource.Path,
                    $"The request path names workspace '{inPath.Id.Value}' but the {HeaderName} header names '{inHeader.Value}'; send one, or the same in both.");
            }

            return inPath;
        }

        if (request.Header is not null)
        {
            return Validate(request.Header.Trim(), WorkspaceSource.Header);
        }

        if (request.Query is not null)
        {
            return Validate(request.Query.Trim(), WorkspaceSource.Query);
        }

        if (!string.IsNullOrWhiteSpace(request.BodyWorkspacePath)
            && WorkspaceId.TryCreate(SlugLastSegment(request.BodyWorkspacePath), out var fromBody, out _))
        {
            return WorkspaceResolution.Ok(fromBody, WorkspaceSource.BodyPath);
        }

        if (!string.IsNullOrEmpty(request.UserAgent))
        {
            if (TryGetUserAgentComment(request.UserAgent, out var fromComment))
            {
                return Validate(fromComment, WorkspaceSource.UserAgent);
            }

            foreach (var (fragment, id) in _userAgentMap)
            {
                if (request.UserAgent.Contains(fragment, StringComparison.OrdinalIgnoreCase))
                {
                    return WorkspaceResolution.Ok(id, WorkspaceSource.UserAgent);
                }
            }
        }

        return WorkspaceResolution.Ok(WorkspaceId.Default, WorkspaceSource.Default);
    }

    /// <summary>
    /// Turns the last segment of a file-system path into a workspace id candidate:
    /// <c>/home/me/Projects/My App/</c> becomes <c>my-app</c>.
    /// </summary>
    public static string SlugLastSegment(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.Trim().TrimEnd('/', '\\');
        var cut = trimmed.LastIndexOfAny(['/', '\\']);
        var segment = cut >= 0 ? trimmed[(cut + 1)..] : trimmed;

        var slug = new StringBuilder(segment.Length);
        var pendingDash = false;
        foreach (var raw in segment.ToLowerInvariant())
        {
            var keep = raw is >= 'a' and <= 'z' or >= '0' and <= '9' or '_'
                || (raw == '.' && slug.Length > 0 && slug[^1] != '.');
            if (!keep)
            {
                pendingDash = slug.Length > 0;
                continue;
            }

            if (pendingDash)
            {
                slug.Append('-');
                pendingDash = false;
            }

            slug.Append(raw);
        }

        var result = slug.ToString().Trim('.', '-', '_');
        return result.Length > WorkspaceId.MaxLength ? result[..WorkspaceId.MaxLength].TrimEnd('.', '-', '_') : result;
    }

    private static WorkspaceResolution Validate(string candidate, WorkspaceSource source) =>
        WorkspaceId.TryCreate(candidate, out var id, out var error)
            ? WorkspaceResolution.Ok(id, source)
            : WorkspaceResolution.Invalid(source, $"{Describe(source)}: {error}");

    private static string Describe(WorkspaceSource source) => source switch
    {
        WorkspaceSource.Path => "Workspace in the request path",
        WorkspaceSource.Header => $"Workspace in the {HeaderName} header",
        WorkspaceSource.Query => $"Workspace in the '{QueryName}' query parameter",
        WorkspaceSource.UserAgent => "Workspace in the User-Agent comment",
        _ => "Workspace",
    };

    private static bool TryGetPathSegment(string? path, out string segment)
    {
        segment = string.Empty;
        if (path is null || !path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = path.AsSpan(PathPrefix.Length);
        var end = rest.IndexOf('/');
        segment = (end >= 0 ? rest[..end] : rest).ToString();
        return true;
    }

    private static bool TryGetUserAgentComment(string userAgent, out string id)
    {
        id = string.Empty;
        var at = userAgent.IndexOf(UserAgentKey, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var rest = userAgent.AsSpan(at + UserAgentKey.Length);
        var end = rest.IndexOfAny(';', ')', ' ');
        id = (end >= 0 ? rest[..end] : rest).ToString();
        return true;
    }
}
