using ContextLite.Benchmarks.Kernels;

namespace ContextLite.Core.Tests.Benchmarks;

public sealed class KernelsReportTests
{
    [Theory]
    [InlineData(59.04, "59.0 ns")]
    [InlineData(12_990, "12.99 µs")]
    [InlineData(19_174_000, "19.174 ms")]
    [InlineData(double.NaN, "n/a")]
    public void Time_AnyMagnitude_ReadableUnit(double nanoseconds, string expected)
    {
        Assert.Equal(expected, KernelsReport.Time(nanoseconds));
    }

    [Theory]
    [InlineData(null, "n/a")]
    [InlineData(0L, "-")]
    [InlineData(4_008L, "4,008 B")]
    [InlineData(17_612L, "17.2 KiB")]
    public void Bytes_AllocatedPerCall_ShownAsBytesOrKibibytesAndNoneAsDash(long? bytes, string expected)
    {
        Assert.Equal(expected, KernelsReport.Bytes(bytes));
    }

    [Fact]
    public void Build_Measurements_OneTableRowEachWithCommandAndLoad()
    {
        var measurements = new[]
        {
            new KernelMeasurement("ring lookup (owner)", string.Empty, 59.0, 22.1, 60.7, 0),
            new KernelMeasurement("vector scan (exact, top 10)", "N=100000", 19_174_000, 7_855_000, 19_399_000, 184),
        };

        var section = KernelsReport.Build(
            measurements, ["Vectors: test data."], warmups: 3, iterations: 5, ("1.00 2.00 3.00", "4.00 5.00 6.00"), "dotnet run -- kernels", DateTimeOffset.UnixEpoch);

        Assert.Contains("- Date: 1970-01-01 00:00 UTC", section, StringComparison.Ordinal);
        Assert.Contains("load average 1.00 2.00 3.00 before the runs, 4.00 5.00 6.00 after", section, StringComparison.Ordinal);
        Assert.Contains("- Command: `dotnet run -- kernels`", section, StringComparison.Ordinal);
        Assert.Contains("- Vectors: test data.", section, StringComparison.Ordinal);
        Assert.Contains("| ring lookup (owner) |  | 59.0 ns | 22.1 ns | 60.7 ns | - |", section, StringComparison.Ordinal);
        Assert.Contains("| vector scan (exact, top 10) | N=100000 | 19.174 ms | 7.855 ms | 19.399 ms | 184 B |", section, StringComparison.Ordinal);
    }
}
