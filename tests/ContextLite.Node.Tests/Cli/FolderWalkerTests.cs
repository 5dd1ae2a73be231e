using ContextLite.Node.Cli;

namespace ContextLite.Node.Tests.Cli;

public sealed class FolderWalkerTests
{
    [Fact]
    public void Walk_NestedGitignores_DeeperFileOverridesAndPatternsAreRelativeToTheirFolder()
    {
        using var folder = new IngestFolder()
            .Write(".gitignore", "*.tmp\n/root-only.txt\n   \n# a comment\n")
            .Write("root-only.txt", "ignored: anchored to the root\n")
            .Write("a/root-only.txt", "kept: the anchor is the root folder\n")
            .Write("a/x.tmp", "ignored by the root file\n")
            .Write("a/b/.gitignore", "!wanted.tmp\nlocal/\n")
            .Write("a/b/wanted.tmp", "re-included by the deeper file\n")
            .Write("a/b/other.tmp", "still ignored\n")
            .Write("a/b/local/file.txt", "in a folder ignored by the deeper file\n")
            .Write("a/local/file.txt", "kept: the deeper file does not reach here\n");

        var scan = Walk(folder);

        Assert.Equal(
            [".gitignore", "a/b/.gitignore", "a/b/wanted.tmp", "a/local/file.txt", "a/root-only.txt"],
            Paths(scan));
        Assert.Equal(4, scan.Skipped[IngestSkipReason.Gitignored]);
    }

    [Fact]
    public void Walk_SubfolderOfARepository_HonoursTheGitignoresAboveIt()
    {
        using var repo = new IngestFolder()
            .Write(".git/HEAD", "ref: refs/heads/main\n")
            .Write(".gitignore", "bin/\n*.log\n/top-only.txt\n")
            .Write("project/.gitignore", "generated/\n")
            .Write("project/src/app/main.cs", "class Main {}\n")
            .Write("project/src/app/bin/Debug/out.json", "{}\n")
            .Write("project/src/app/run.log", "log\n")
            .Write("project/src/app/generated/x.cs", "// generated\n")
            .Write("project/src/app/top-only.txt", "kept: the anchor is the repository root\n");

        var scan = new FolderWalker(repo.FullPath("project/src"), [], [], useGitignore: true).Walk(CancellationToken.None);

        Assert.Equal(["app/main.cs", "app/top-only.txt"], Paths(scan));
        Assert.Equal(3, scan.Skipped[IngestSkipReason.Gitignored]);
    }

    [Fact]
    public void Walk_OutsideAnyRepository_IgnoresGitignoresAboveTheRoot()
    {
        using var parent = new IngestFolder()
            .Write(".gitignore", "*.md\n")
            .Write("inner/readme.md", "kept: no repository, so the parent's rules do not apply\n");

        var scan = new FolderWalker(parent.FullPath("inner"), [], [], useGitignore: true).Walk(CancellationToken.None);

        Assert.Equal(["readme.md"], Paths(scan));
    }

    [Fact]
    public void Walk_NoGitignore_KeepsIgnoredFilesButStillSkipsGitFolder()
    {
        using var folder = new IngestFolder()
            .Write(".gitignore", "*.log\n")
            .Write("app.log", "log\n")
            .Write(".git/HEAD", "ref: refs/heads/main\n")
            .Write("sub/.git", "gitdir: ../.git/modules/sub\n");

        var scan = Walk(folder, useGitignore: false);

        Assert.Equal([".gitignore", "app.log"], Paths(scan));
        Assert.Equal(0, scan.Skipped.Total);
    }

    [Fact]
    public void Walk_IncludeAndExcludeGlobs_KeepOnlyMatchingFiles()
    {
        using var folder = new IngestFolder()
            .Write("docs/a.md", "a\n")
            .Write("docs/draft/b.md", "b\n")
            .Write("src/c.cs", "c\n")
            .Write("d.md", "d\n");

        var scan = Walk(folder, includes: ["**/*.md"], excludes: ["docs/draft/**"]);

        Assert.Equal(["d.md", "docs/a.md"], Paths(scan));
        Assert.Equal(2, scan.Skipped[IngestSkipReason.ExcludedByGlob]);
    }

    [Fact]
    public void Walk_SymlinkToAncestorFolder_IsSkippedInsteadOfLooping()
    {
        using var folder = new IngestFolder().Write("a/file.txt", "text\n");
        Directory.CreateSymbolicLink(folder.FullPath("a/loop"), folder.Path);

        var scan = Walk(folder);

        Assert.Equal(["a/file.txt"], Paths(scan));
        Assert.Equal(1, scan.Skipped[IngestSkipReason.SymlinkedFolder]);
    }

    [Fact]
    public void Walk_ManyFolders_ReturnsOrdinalOrderOfRelativePaths()
    {
        using var folder = new IngestFolder()
            .Write("b.txt", "b\n")
            .Write("a/z.txt", "z\n")
            .Write("a.txt", "a\n")
            .Write("B/c.txt", "c\n")
            .Write("a-b/d.txt", "d\n");

        var scan = Walk(folder);

        Assert.Equal(["B/c.txt", "a-b/d.txt", "a.txt", "a/z.txt", "b.txt"], Paths(scan));
    }

    private static FolderScan Walk(
        IngestFolder folder, bool useGitignore = true, string[]? includes = null, string[]? excludes = null) =>
        new FolderWalker(folder.Path, includes ?? [], excludes ?? [], useGitignore).Walk(CancellationToken.None);

    private static List<string> Paths(FolderScan scan)
    {
        var paths = new List<string>(scan.Files.Count);
        foreach (var file in scan.Files)
        {
            paths.Add(file.RelativePath);
        }

        return paths;
    }
}
