using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Selection;

/// <summary>How the final context is chosen.</summary>
public sealed class SelectionOptions
{
    public const string Section = "selection";

    /// <summary>The default solver: <c>auto</c>, <c>branch_and_bound</c>, <c>greedy</c> or <c>z3</c>.</summary>
    [ConfigurationKeyName("solver")]
    public string Solver { get; set; } = "auto";

    /// <summary>Time limit per solve in milliseconds.</summary>
    [Range(1, 60_000)]
    [ConfigurationKeyName("time_limit_ms")]
    public int TimeLimitMs { get; set; } = 50;

    /// <summary>
    /// Weight of the redundancy penalty. Redundancy is similarity × the smaller relevance, so at 1 a duplicate
    /// adds nothing and a near-duplicate adds only what it does not repeat.
    /// </summary>
    [Range(0.0, 100.0)]
    [ConfigurationKeyName("lambda")]
    public double Lambda { get; set; } = 1.0;

    /// <summary>
    /// How fast relevance falls with rank: a candidate k ranks below the best is worth 2^(−k / half-life) of it.
    /// 0 uses the fused scores scaled to the best instead (flat for rank fusion, which lets the solver trade one
    /// top passage for several mediocre short ones).
    /// </summary>
    [Range(0.0, 1000.0)]
    [ConfigurationKeyName("relevance_half_life")]
    public double RelevanceHalfLife { get; set; } = 1.0;

    /// <summary>Similarity below which two chunks are not considered redundant at all.</summary>
    [Range(0.0, 1.0)]
    [ConfigurationKeyName("redundancy_floor")]
    public double RedundancyFloor { get; set; } = 0.9;

    /// <summary>Merge chosen chunks that are adjacent in the same document into one passage.</summary>
    [ConfigurationKeyName("merge_adjacent")]
    public bool MergeAdjacent { get; set; } = true;
}
