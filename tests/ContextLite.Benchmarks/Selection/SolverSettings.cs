namespace ContextLite.Benchmarks.Selection;

/// <summary>What one <c>solvers</c> benchmark invocation measures.</summary>
/// <param name="Instances">Seeded instances per candidate count.</param>
/// <param name="LimitMilliseconds">The time limit every solver gets per instance.</param>
/// <param name="ReferenceMilliseconds">The limit of the branch-and-bound run that establishes the best known objective.</param>
/// <param name="Seed">The instance seed; the same seed gives the same instances.</param>
internal sealed record SolverSettings(int Instances, int LimitMilliseconds, int ReferenceMilliseconds, int Seed)
{
    public const int DefaultInstances = 20;
    public const int DefaultLimitMilliseconds = 50;
    public const int DefaultReferenceMilliseconds = 10_000;
    public const int DefaultSeed = 20_250_101;

    /// <summary>Candidate counts, as in PLATFORM.md's measurements.</summary>
    public static IReadOnlyList<int> Sizes { get; } = [20, 50, 100, 200];

    public const int MaxTokens = 8000;
    public const int MaxItems = 15;
    public const double Lambda = 0.5;
    public const int MinItemTokens = 100;
    public const int MaxItemTokens = 1500;
}
