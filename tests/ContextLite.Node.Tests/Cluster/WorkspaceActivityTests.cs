using ContextLite.Node.Cluster;
using Microsoft.AspNetCore.Http;

namespace ContextLite.Node.Tests.Cluster;

public sealed class WorkspaceActivityTests
{
    [Fact]
    public void BeginEnd_CountsActiveCompletedAndMeanDuration()
    {
        var activity = new WorkspaceActivity();

        var first = activity.Begin("ws")!;
        var second = activity.Begin("ws")!;
        var during = activity.Get("ws");
        var nodeWide = activity.ActiveRequests;
        activity.End(first, TimeSpan.FromMilliseconds(10));
        activity.End(second, TimeSpan.FromMilliseconds(30));

        Assert.Equal(2, during!.Value.ActiveRequests);
        Assert.Equal(2, nodeWide);
        var after = activity.Get("ws")!.Value;
        Assert.Equal(0, after.ActiveRequests);
        Assert.Equal(2, after.QueryCount);
        Assert.Equal(20, after.AvgResponseMs, 6);
        Assert.Equal(0, activity.ActiveRequests);
    }

    [Fact]
    public void Get_UnseenWorkspace_IsNull()
    {
        Assert.Null(new WorkspaceActivity().Get("never"));
    }

    [Fact]
    public void Begin_BeyondTheCap_IsNotTrackedButKnownWorkspacesStillAre()
    {
        var activity = new WorkspaceActivity(capacity: 2);
        activity.End(activity.Begin("a")!, TimeSpan.Zero);
        activity.End(activity.Begin("b")!, TimeSpan.Zero);

        var third = activity.Begin("c");
        var again = activity.Begin("a");

        Assert.Null(third);
        Assert.NotNull(again);
        Assert.Equal(2, activity.TrackedWorkspaces);
    }

    [Theory]
    [InlineData("/api/v1/documents", true)]
    [InlineData("/api/v1/assemble", true)]
    [InlineData("/workspace/demo/api/v1/search", true)]
    [InlineData("/api/v1/workspaces", false)]
    [InlineData("/api/v1/workspaces/demo", false)]
    [InlineData("/workspace/demo/api/v1/workspaces", false)]
    [InlineData("/health", false)]
    [InlineData("/alive", false)]
    public void IsCounted_ApiRoutesButNotWorkspaceManagementOrHealth(string path, bool expected)
    {
        Assert.Equal(expected, WorkspaceActivityMiddleware.IsCounted(new PathString(path)));
    }
}
