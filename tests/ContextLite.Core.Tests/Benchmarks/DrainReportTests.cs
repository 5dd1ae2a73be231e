using ContextLite.Benchmarks.Drain;

namespace ContextLite.Core.Tests.Benchmarks;

public sealed class DrainReportTests
{
    private static readonly DrainSettings s_settings = new(10, 5, 2, 1, TimeSpan.FromSeconds(60));

    [Fact]
    public void Build_QueriesPerPhase_RowsCountErrorsAndVectorUse()
    {
        DrainQuery[] queries =
        [
            Query(DrainPhase.FirstQuarter, 1, usedVectors: false),
            Query(DrainPhase.FirstQuarter, 2, usedVectors: false, error: "InvalidOperationException: boom"),
            Query(DrainPhase.ThirdQuarter, 40, usedVectors: true),
            Query(DrainPhase.AfterDrain, 10, usedVectors: true),
            Query(DrainPhase.AfterDrain, 12, usedVectors: true),
        ];
        var result = Result(queries);

        var text = DrainReport.Build(s_settings, result, ("1 1 1", "2 2 2"), "dotnet run -- drain", DateTimeOffset.UnixEpoch);

        Assert.Contains("| drain, 0–25 % embedded | 2 | 1 | 1.00 |", text, StringComparison.Ordinal);
        Assert.Contains("| drain, 50–75 % embedded | 1 | 0 | 40.00 |", text, StringComparison.Ordinal);
        Assert.Contains("| drain, 25–50 % embedded | 0 | 0 | - |", text, StringComparison.Ordinal);
        Assert.Contains("| **after the drain** | 2 | 0 | 10.00 | 12.00 | 12.00 | 12.0 |", text, StringComparison.Ordinal);
        Assert.Contains("**1 errors**", text, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: boom", text, StringComparison.Ordinal);
        Assert.Contains("load average 1 1 1 before the run, 2 2 2 after", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChunksPerEmbeddingCpuSecond_QueriesChargedTheirAfterDrainCost()
    {
        // 2 queries after the drain took 1 CPU-second: the 3 during it are charged 1.5 of the drain's 5.5.
        var result = Result(
        [
            Query(DrainPhase.FirstQuarter, 1, false), Query(DrainPhase.SecondQuarter, 1, true), Query(DrainPhase.Finishing, 1, true),
            Query(DrainPhase.AfterDrain, 1, true), Query(DrainPhase.AfterDrain, 1, true),
        ]);

        Assert.Equal(1000 / 4.0, result.ChunksPerEmbeddingCpuSecond!.Value, precision: 6);
        Assert.Equal(1000 / 5.5, result.ChunksPerProcessCpuSecond, precision: 6);
    }

    private static DrainResult Result(IReadOnlyList<DrainQuery> queries) => new(
        Documents: 10,
        Chunks: 1000,
        Tokens: 50_000,
        Ingest: TimeSpan.FromSeconds(2),
        Embedded: TimeSpan.FromSeconds(100),
        Drained: TimeSpan.FromSeconds(101),
        DrainCpu: TimeSpan.FromSeconds(5.5),
        AfterWall: TimeSpan.FromSeconds(1),
        AfterCpu: TimeSpan.FromSeconds(1),
        Clusters: 0,
        Lanes: 2,
        DistinctQueries: 200,
        Queries: queries);

    private static DrainQuery Query(DrainPhase phase, double milliseconds, bool usedVectors, string? error = null) =>
        new("retrieve", phase, TimeSpan.Zero, milliseconds, 0.5, "smt", usedVectors, usedVectors ? 1 : 0, error);
}
