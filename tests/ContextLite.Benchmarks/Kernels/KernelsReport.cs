using System.Globalization;
using System.Text;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>The <c>## Kernels (BenchmarkDotNet)</c> section of <c>docs/benchmarks.md</c>.</summary>
internal static class KernelsReport
{
    public const string Heading = "## Kernels (BenchmarkDotNet)";

    public static string Build(
        IReadOnlyList<KernelMeasurement> measurements, IReadOnlyList<string> data, int warmups, int iterations,
        (string Before, string After) load, string command, DateTimeOffset when)
    {
        var text = new StringBuilder();
        Line(text, $"- Date: {when:yyyy-MM-dd HH:mm} UTC");
        Line(text, $"- Machine: {MachineInfo.Cores} cores ({MachineInfo.Processor}), {MachineInfo.OperatingSystem}, {MachineInfo.Runtime}, {MachineInfo.Configuration} build; load average {load.Before} before the runs, {load.After} after (other engineers' builds shared the machine: times are upper bounds)");
        Line(text, $"- Command: `{command}` (ContextLite.Core from commit {MachineInfo.EngineRevision()})");
        Line(text, $"- Method: BenchmarkDotNet {typeof(BenchmarkDotNet.Running.BenchmarkRunner).Assembly.GetName().Version?.ToString(3)}, in-process emit toolchain, one launch, {warmups} warm-up and {iterations} measured iterations per kernel (a ShortRun-like job), `[MemoryDiagnoser]`. Error is half the 99.9 % confidence interval of the mean; with this few iterations on a shared machine it is wide, so the median is shown too. Allocated is managed bytes per call (`-` is none).");
        foreach (var line in data)
        {
            Line(text, $"- {line}");
        }

        text.Append('\n');
        Line(text, $"| Kernel | Case | Mean | Error | Median | Allocated / call |");
        Line(text, $"| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var m in measurements)
        {
            Line(text, $"| {m.Kernel} | {m.Case} | {Time(m.MeanNanoseconds)} | {Time(m.ErrorNanoseconds)} | {Time(m.MedianNanoseconds)} | {Bytes(m.AllocatedBytes)} |");
        }

        return text.ToString();
    }

    /// <summary>A duration in the unit that keeps three or four significant digits readable.</summary>
    public static string Time(double nanoseconds) => nanoseconds switch
    {
        double.NaN => "n/a",
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:0.0} ns"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000:0.00} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:0.000} ms"),
    };

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "n/a",
        0 => "-",
        < 10_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N1} KiB"),
    };

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
