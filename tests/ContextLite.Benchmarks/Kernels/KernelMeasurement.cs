namespace ContextLite.Benchmarks.Kernels;

/// <summary>One kernel's BenchmarkDotNet result: times in nanoseconds per call, allocation in bytes per call.</summary>
/// <param name="Kernel">What was run (the benchmark's description).</param>
/// <param name="Case">Its parameters (e.g. <c>N=100000</c>), or empty.</param>
/// <param name="MeanNanoseconds">The mean of the measured iterations.</param>
/// <param name="ErrorNanoseconds">Half the 99.9 % confidence interval of the mean (BenchmarkDotNet's Error column).</param>
/// <param name="MedianNanoseconds">The median of the measured iterations.</param>
/// <param name="AllocatedBytes">Managed bytes allocated per call; null when not measured.</param>
internal sealed record KernelMeasurement(
    string Kernel, string Case, double MeanNanoseconds, double ErrorNanoseconds, double MedianNanoseconds, long? AllocatedBytes);
