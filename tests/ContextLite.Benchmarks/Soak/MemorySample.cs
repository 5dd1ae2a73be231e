namespace ContextLite.Benchmarks.Soak;

/// <summary>
/// One reading of a process's memory: <paramref name="Process"/> names it (a node URL or <c>pid N</c>); the managed
/// figures come from the node's <c>/health</c> (<c>memory</c>) and are null when only the pid's RSS was read.
/// </summary>
internal readonly record struct MemorySample(string Process, TimeSpan At, double RssMb, double? ManagedHeapMb, double? GcCommittedMb);
