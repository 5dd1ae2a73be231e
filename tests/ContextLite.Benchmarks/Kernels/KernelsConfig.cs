using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>The BenchmarkDotNet configuration of the <c>kernels</c> command.</summary>
/// <remarks>
/// A ShortRun-like job (one launch, a few warm-up and measured iterations) in process: the default toolchain
/// generates, restores and builds a project per benchmark class, minutes on a shared 2-core machine for nothing
/// the kernels need (they do not depend on process-wide JIT or GC settings), and the in-process run lets the
/// benchmark classes share the 100K index built once (<see cref="KernelData"/>).
/// </remarks>
internal static class KernelsConfig
{
    public static IConfig Create(int warmups, int iterations, IReadOnlyList<string> filters, string artifacts)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(warmups)
            .WithIterationCount(iterations)
            .WithId("kernels");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.JoinSummary);
        return filters.Count == 0 ? config : config.AddFilter(new GlobFilter([.. filters]));
    }
}
