namespace ContextLite.Search;

/// <summary>Why a candidate lost: its penalty (λ·redundancy) against a chosen chunk.</summary>
public sealed record RedundancyPenalty(long ChosenChunk, string ChosenPath, long RejectedChunk, string RejectedPath, double Penalty);
