using ContextLite.Workspaces;

namespace ContextLite.Core.Tests.Workspaces;

public sealed class WorkspaceResolverTests
{
    private static readonly WorkspaceRequest s_everything = new(
        Path: "/workspace/from-path/api/v1/documents",
        Header: "from-header",
        Query: "from-query",
        BodyWorkspacePath: "/Users/me/From Body/",
        UserAgent: "Tool/1.0 (workspace=from-agent)");

    private readonly WorkspaceResolver _resolver = new();

    [Theory]
    [InlineData("/workspace/MyProj/api/v1/documents", "myproj")]
    [InlineData("/workspace/docs/api/v1/assemble", "docs")]
    [InlineData("/workspace/docs", "docs")]
    [InlineData("/WORKSPACE/Team.A/api/v1/documents", "team.a")]
    public void Resolve_PathOnly_UsesPathSegment(string path, string expected)
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(Path: path));

        // Assert
        AssertResolved(resolution, expected, WorkspaceSource.Path);
    }

    [Fact]
    public void Resolve_PathWithoutWorkspacePrefix_IsIgnored()
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(Path: "/api/v1/documents", Header: "hdr"));

        // Assert
        AssertResolved(resolution, "hdr", WorkspaceSource.Header);
    }

    [Fact]
    public void Resolve_HeaderOnly_UsesTrimmedHeader()
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(Header: "  Team-A "));

        // Assert
        AssertResolved(resolution, "team-a", WorkspaceSource.Header);
    }

    [Fact]
    public void Resolve_QueryOnly_UsesQueryValue()
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(Query: "Notes_2024"));

        // Assert
        AssertResolved(resolution, "notes_2024", WorkspaceSource.Query);
    }

    [Theory]
    [InlineData("/Users/me/Projects/My App/", "my-app")]
    [InlineData("C:\\src\\Foo.Bar", "foo.bar")]
    [InlineData("C:\\src\\Foo.Bar\\", "foo.bar")]
    [InlineData("/srv/repos/api_server", "api_server")]
    [InlineData("~/code/Hello,  World!!", "hello-world")]
    [InlineData("relative-name", "relative-name")]
    [InlineData("/x/.dotfiles", "dotfiles")]
    public void Resolve_BodyPathOnly_UsesSluggedLastSegment(string bodyPath, string expected)
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(BodyWorkspacePath: bodyPath));

        // Assert
        AssertResolved(resolution, expected, WorkspaceSource.BodyPath);
    }

    [Theory]
    [InlineData("Tool/1.0 (workspace=abc)", "abc")]
    [InlineData("Tool/1.0 (os=linux; workspace=Docs-2; arch=x64)", "docs-2")]
    [InlineData("Tool/1.0 workspace=abc other/2.0", "abc")]
    [InlineData("Tool/1.0 (WORKSPACE=abc)", "abc")]
    public void Resolve_UserAgentComment_UsesCommentValue(string userAgent, string expected)
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(UserAgent: userAgent));

        // Assert
        AssertResolved(resolution, expected, WorkspaceSource.UserAgent);
    }

    [Fact]
    public void Resolve_UserAgentMatchingConfiguredMap_UsesMappedIdCaseInsensitively()
    {
        // Arrange
        var resolver = new WorkspaceResolver([KeyValuePair.Create("Cursor", "Cursor-WS")]);

        // Act
        var resolution = resolver.Resolve(new WorkspaceRequest(UserAgent: "Mozilla/5.0 cursor/0.42"));

        // Assert
        AssertResolved(resolution, "cursor-ws", WorkspaceSource.UserAgent);
    }

    [Fact]
    public void Resolve_UserAgentMatchingSeveralMapEntries_FirstEntryWins()
    {
        // Arrange
        var resolver = new WorkspaceResolver(
        [
            KeyValuePair.Create("vscode", "first"),
            KeyValuePair.Create("code", "second"),
        ]);

        // Act
        var resolution = resolver.Resolve(new WorkspaceRequest(UserAgent: "VSCode/1.90"));

        // Assert
        AssertResolved(resolution, "first", WorkspaceSource.UserAgent);
    }

    [Fact]
    public void Resolve_UserAgentCommentAndMapMatch_CommentWins()
    {
        // Arrange
        var resolver = new WorkspaceResolver([KeyValuePair.Create("Tool", "mapped")]);

        // Act
        var resolution = resolver.Resolve(new WorkspaceRequest(UserAgent: "Tool/1.0 (workspace=commented)"));

        // Assert
        AssertResolved(resolution, "commented", WorkspaceSource.UserAgent);
    }

    [Fact]
    public void Resolve_UserAgentMatchingNothing_ReturnsDefault()
    {
        // Arrange
        var resolver = new WorkspaceResolver([KeyValuePair.Create("cursor", "cursor-ws")]);

        // Act
        var resolution = resolver.Resolve(new WorkspaceRequest(UserAgent: "curl/8.5.0"));

        // Assert
        AssertResolved(resolution, "default", WorkspaceSource.Default);
    }

    [Fact]
    public void Constructor_InvalidIdInUserAgentMap_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentException>(() => new WorkspaceResolver([KeyValuePair.Create("tool", "../etc")]));
    }

    [Theory]
    [InlineData(1, "from-header", WorkspaceSource.Header)]
    [InlineData(2, "from-query", WorkspaceSource.Query)]
    [InlineData(3, "from-body", WorkspaceSource.BodyPath)]
    [InlineData(4, "from-agent", WorkspaceSource.UserAgent)]
    [InlineData(5, "default", WorkspaceSource.Default)]
    public void Resolve_AllSourcesPresent_FollowsPrecedence(int removed, string expected, WorkspaceSource source)
    {
        // Arrange: drop the `removed` highest-precedence sources.
        var request = s_everything with
        {
            Path = removed > 0 ? null : s_everything.Path,
            Header = removed > 1 ? null : s_everything.Header,
            Query = removed > 2 ? null : s_everything.Query,
            BodyWorkspacePath = removed > 3 ? null : s_everything.BodyWorkspacePath,
            UserAgent = removed > 4 ? null : s_everything.UserAgent,
        };

        // Act
        var resolution = _resolver.Resolve(request);

        // Assert
        AssertResolved(resolution, expected, source);
    }

    [Fact]
    public void Resolve_AllSourcesAndUserAgentMapPresent_PathStillWins()
    {
        // Arrange
        var resolver = new WorkspaceResolver([KeyValuePair.Create("Tool", "mapped")]);

        // Act
        var resolution = resolver.Resolve(s_everything with { Header = null });

        // Assert
        AssertResolved(resolution, "from-path", WorkspaceSource.Path);
    }

    [Theory]
    [InlineData("/workspace/../api/v1/documents", null, null, WorkspaceSource.Path)]
    [InlineData("/workspace//api/v1/documents", null, null, WorkspaceSource.Path)]
    [InlineData("/workspace/a b/api/v1/documents", null, null, WorkspaceSource.Path)]
    [InlineData(null, "bad id", null, WorkspaceSource.Header)]
    [InlineData(null, "", null, WorkspaceSource.Header)]
    [InlineData(null, null, "-x", WorkspaceSource.Query)]
    [InlineData(null, null, "a..b", WorkspaceSource.Query)]
    public void Resolve_InvalidExplicitValue_ReturnsErrorWithoutFallingThrough(
        string? path, string? header, string? query, WorkspaceSource source)
    {
        // Arrange: valid lower-precedence values that a fall-through would pick.
        var request = new WorkspaceRequest(
            path, header, query, BodyWorkspacePath: "/Users/me/valid-body", UserAgent: "Tool/1.0 (workspace=valid-agent)");

        // Act
        var resolution = _resolver.Resolve(request);

        // Assert
        Assert.False(resolution.IsValid);
        Assert.Equal(source, resolution.Source);
        Assert.False(string.IsNullOrWhiteSpace(resolution.Error));
        Assert.Equal(default, resolution.Id);
    }

    [Theory]
    [InlineData("Tool/1.0 (workspace=.hidden)")]
    [InlineData("Tool/1.0 (workspace=)")]
    [InlineData("Tool/1.0 (workspace=日本)")]
    public void Resolve_InvalidUserAgentComment_ReturnsErrorInsteadOfMapOrDefault(string userAgent)
    {
        // Arrange
        var resolver = new WorkspaceResolver([KeyValuePair.Create("Tool", "mapped")]);

        // Act
        var resolution = resolver.Resolve(new WorkspaceRequest(UserAgent: userAgent));

        // Assert
        Assert.False(resolution.IsValid);
        Assert.Equal(WorkspaceSource.UserAgent, resolution.Source);
        Assert.Contains("User-Agent", resolution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_InvalidHeader_ErrorNamesTheHeader()
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(Header: "a/b"));

        // Assert
        Assert.Contains(WorkspaceResolver.HeaderName, resolution.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/var/!!!/")]
    [InlineData("///")]
    [InlineData("/Users/me/日本語")]
    [InlineData("   ")]
    public void Resolve_BodyPathThatSlugsToNothing_FallsThroughToUserAgent(string bodyPath)
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(BodyWorkspacePath: bodyPath, UserAgent: "Tool (workspace=agent)"));

        // Assert
        AssertResolved(resolution, "agent", WorkspaceSource.UserAgent);
    }

    [Fact]
    public void Resolve_BodyPathThatSlugsToNothingAndNoAgent_ReturnsDefault()
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(BodyWorkspacePath: "/var/???"));

        // Assert
        AssertResolved(resolution, "default", WorkspaceSource.Default);
    }

    [Fact]
    public void Resolve_NothingGiven_ReturnsDefault()
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest());

        // Assert
        AssertResolved(resolution, "default", WorkspaceSource.Default);
    }

    [Fact]
    public void SlugLastSegment_VeryLongSegment_IsCutToMaxLengthWithoutTrailingSeparator()
    {
        // Arrange: the 64th character of the slug is a dash, which must not end the id.
        var segment = new string('a', 63) + " b" + new string('c', 20);

        // Act
        var slug = WorkspaceResolver.SlugLastSegment("/srv/" + segment);

        // Assert
        Assert.Equal(new string('a', 63), slug);
        Assert.True(WorkspaceId.TryCreate(slug, out _, out _));
    }

    [Fact]
    public void SlugLastSegment_RepeatedDots_GiveAValidId()
    {
        // Act
        var slug = WorkspaceResolver.SlugLastSegment("/src/My..Project");

        // Assert
        Assert.DoesNotContain("..", slug, StringComparison.Ordinal);
        Assert.StartsWith("my.", slug, StringComparison.Ordinal);
        Assert.EndsWith("project", slug, StringComparison.Ordinal);
        Assert.True(WorkspaceId.TryCreate(slug, out _, out _));
    }

    private static void AssertResolved(WorkspaceResolution resolution, string expectedId, WorkspaceSource expectedSource)
    {
        Assert.True(resolution.IsValid, resolution.Error);
        Assert.Null(resolution.Error);
        Assert.Equal(expectedId, resolution.Id.Value);
        Assert.Equal(expectedSource, resolution.Source);
    }

    [Fact]
    public void Resolve_PathAndHeaderDisagree_IsAnErrorNamingBoth()
    {
        // Act
        var resolution = _resolver.Resolve(s_everything);

        // Assert
        Assert.False(resolution.IsValid);
        Assert.Contains("'from-path'", resolution.Error, StringComparison.Ordinal);
        Assert.Contains("'from-header'", resolution.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/workspace/team-a/api/v1/search", "team-a")]
    [InlineData("/workspace/team-a/api/v1/search", " TEAM-A ")]
    public void Resolve_PathAndHeaderAgree_UsesPath(string path, string header)
    {
        // Act
        var resolution = _resolver.Resolve(new WorkspaceRequest(Path: path, Header: header));

        // Assert
        AssertResolved(resolution, "team-a", WorkspaceSource.Path);
    }
}
