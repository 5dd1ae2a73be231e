namespace ContextLite.Benchmarks.Soak;

/// <summary>
/// A bounded soak: <paramref name="Concurrency"/> clients spread mixed ingest, assemble and search over
/// <paramref name="Workspaces"/> workspaces of <paramref name="Url"/> for <paramref name="Duration"/>;
/// <paramref name="Pid"/> is the node process whose RSS is sampled; <paramref name="TokensPerMinute"/> the
/// workspace limit the node was started with (0: not checked).
/// </summary>
internal sealed record SoakSettings(Uri Url, TimeSpan Duration, int Workspaces, int Concurrency, int? Pid, long TokensPerMinute, int Seed);
