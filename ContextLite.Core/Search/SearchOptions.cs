using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContextLite.Search;

/// <summary>How candidates are found, fused and routed (DESIGN §4).</summary>
public sealed class SearchOptions
{
    public const string Section = "search";

    /// <summary>Chunks taken from the lexical (BM25) stage.</summary>
    /// <remarks>
    /// 200 rather than 500: on SciFact nDCG@10 and the assembled context's recall are the same to the fourth
    /// decimal (hybrid 0.7302, auto 0.7258 against 0.7248) and hybrid Recall@100 is 0.9400 against 0.9483, while
    /// every query reads, rescores and fuses 300 fewer rows (docs/benchmarks.md, issue 6).
    /// </remarks>
    [Range(1, 100_000)]
    [ConfigurationKeyName("lexical_candidates")]
    public int LexicalCandidates { get; set; } = 200;

    /// <summary>
    /// The most chunks the lexical stage scores, as a sum of its terms' document frequencies: the query's
    /// terms are kept rarest first within it (the rarest always), so one common word cannot make BM25 score
    /// most of the workspace. 0 keeps every term (the cost then grows with the workspace).
    /// </summary>
    [Range(0, long.MaxValue)]
    [ConfigurationKeyName("lexical_max_postings")]
    public long LexicalMaxPostings { get; set; } = 4_000;

    /// <summary>Chunks taken from the vector stage.</summary>
    [Range(1, 100_000)]
    [ConfigurationKeyName("vector_candidates")]
    public int VectorCandidates { get; set; } = 100;

    /// <summary>
    /// How lexical and vector rankings are combined: <c>weighted</c> (BM25 over the best BM25, cosine min-max
    /// scaled, mixed by <see cref="LexicalWeight"/>) or <c>rrf</c> (reciprocal-rank fusion). Weighted 0.6 beat
    /// RRF on both SciFact and Cranfield (docs/quality.md), so it is the default.
    /// </summary>
    [ConfigurationKeyName("fusion")]
    public string Fusion { get; set; } = "weighted";

    /// <summary>The k of reciprocal-rank fusion.</summary>
    [Range(1, 10_000)]
    [ConfigurationKeyName("rrf_k")]
    public int RrfK { get; set; } = 60;

    /// <summary>Weight of the lexical score in <c>weighted</c> fusion (the vector score gets the rest).</summary>
    [Range(0.0, 1.0)]
    [ConfigurationKeyName("lexical_weight")]
    public double LexicalWeight { get; set; } = 0.6;

    /// <summary>Confidence at or above which the route is <c>smt</c> (lexical candidates only).</summary>
    [Range(0.0, 1.0)]
    [ConfigurationKeyName("smt_threshold")]
    public double SmtThreshold { get; set; } = 0.85;

    /// <summary>Confidence at or above which the route is <c>smt+residual</c>; below it, <c>cluster</c>.</summary>
    [Range(0.0, 1.0)]
    [ConfigurationKeyName("residual_threshold")]
    public double ResidualThreshold { get; set; } = 0.55;

    /// <summary>The longest query accepted, in characters.</summary>
    [Range(1, 1_000_000)]
    [ConfigurationKeyName("max_query_length")]
    public int MaxQueryLength { get; set; } = 8192;

    /// <summary>How many fused candidates the selection solver considers.</summary>
    [Range(1, 10_000)]
    [ConfigurationKeyName("selection_candidates")]
    public int SelectionCandidates { get; set; } = 60;
}
