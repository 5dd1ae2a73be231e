using ContextLite.Node.Cli;

namespace ContextLite.Node.Tests.Cli;

public sealed class IngestProgressTests
{
    [Theory]
    [InlineData(0, 400, "[..............................] 0/400 files")]
    [InlineData(120, 400, "[#########.....................] 120/400 files")]
    [InlineData(400, 400, "[##############################] 400/400 files")]
    [InlineData(0, 0, "[##############################] 0/0 files")]
    public void Render_DoneOfTotal_FillsTheBarInProportion(int done, int total, string expected)
    {
        Assert.Equal(expected, IngestProgress.Render(done, total));
    }

    [Fact]
    public void Report_ThenClear_RedrawsInPlaceAndLeavesABlankLine()
    {
        using var writer = new StringWriter();
        var progress = new IngestProgress(writer, 2, TimeProvider.System);

        progress.Report(1);
        progress.Report(2);
        progress.Clear();

        var text = writer.ToString();
        Assert.StartsWith("\r[###############...............] 1/2 files", text, StringComparison.Ordinal);
        Assert.Contains("\r[##############################] 2/2 files", text, StringComparison.Ordinal);
        Assert.EndsWith("\r", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void IsInteractive_StringWriter_IsFalse()
    {
        using var writer = new StringWriter();

        Assert.False(IngestProgress.IsInteractive(writer));
    }
}
