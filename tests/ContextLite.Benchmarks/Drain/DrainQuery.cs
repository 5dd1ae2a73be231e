namespace ContextLite.Benchmarks.Drain;

/// <summary>One query of the loop that runs while the embedding queue drains and after.</summary>
/// <param name="Kind"><c>assemble</c> or <c>retrieve</c>.</param>
/// <param name="Phase">Where the drain stood when the query started.</param>
/// <param name="At">When it started, from the start of the drain.</param>
/// <param name="Milliseconds">Its latency.</param>
/// <param name="EmbedMilliseconds">Its <c>embed</c> stage: the query's MiniLM embedding, including the wait for a session lane.</param>
/// <param name="Route">The engine's route (smt, smt+residual, cluster), or empty after an error.</param>
/// <param name="UsedVectors">True when the engine embedded the query and ran its vector stage (no "no vectors yet" note).</param>
/// <param name="VectorShare">The share of the top ranked chunks that carried a vector score.</param>
/// <param name="Error">The exception's type and message, or null when the query was answered.</param>
internal readonly record struct DrainQuery(
    string Kind, DrainPhase Phase, TimeSpan At, double Milliseconds, double EmbedMilliseconds, string Route, bool UsedVectors, double VectorShare, string? Error);
