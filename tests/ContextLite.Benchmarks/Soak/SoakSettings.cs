namespace ContextLite.Benchmarks.Soak;

/// <summary>
/// A bounded soak: <paramref name="Concurrency"/> clients spread mixed ingest, assemble and search over
/// <paramref name="Workspaces"/> workspaces of <paramref name="Url"/> for <paramref name="Duration"/>;
/// <paramref name="Pid"/> is a node process whose RSS is sampled, <paramref name="Nodes"/> nodes whose <c>/health</c>
/// memory (RSS and GC heap) is sampled; <paramref name="TokensPerMinute"/> the workspace limit the nodes were started
/// with (0: not checked); <paramref name="MaxRssSlope"/> the second-half RSS slope (MB/min) still called flat.
/// </summary>
internal sealed record SoakSettings(
    Uri Url, TimeSpan Duration, int Workspaces, int Concurrency, int? Pid, IReadOnlyList<Uri> Nodes, long TokensPerMinute, int Seed, double MaxRssSlope = 1.0);
