using BenchmarkDotNet.Attributes;
using ContextLite.Cluster;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// <see cref="HashRing"/> lookups as the gateway makes them: three nodes with 128 points each, workspace ids of
/// realistic length; <c>Pick</c> with one node down, so a third of the keys walk past their owner.
/// </summary>
[MemoryDiagnoser]
public class RingKernels
{
    private static readonly Func<string, bool> s_healthy = static node => node != "node-2";

    private readonly HashRing _ring = new(["node-1", "node-2", "node-3"]);
    private readonly string[] _keys = [.. Enumerable.Range(0, 1024).Select(i => $"workspace-{i:x8}-project")];
    private int _next;

    [Benchmark(Description = "ring lookup (owner)")]
    public string? Owner() => _ring.Owner(_keys[_next++ & 1023]);

    [Benchmark(Description = "ring lookup (first healthy, one node down)")]
    public string? Pick() => _ring.Pick(_keys[_next++ & 1023], s_healthy);
}
