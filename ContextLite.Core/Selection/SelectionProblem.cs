namespace ContextLite.Selection;

/// <summary>
/// The context-selection model: choose x_i ∈ {0,1} maximising
/// Σ relevance_i·x_i − λ·Σ_{i&lt;j} redundancy_ij·x_i·x_j subject to Σ tokens_i·x_i ≤ MaxTokens and Σ x_i ≤ MaxItems.
/// </summary>
/// <param name="Relevance">Per candidate, ≥ 0 (higher is better).</param>
/// <param name="Tokens">Per candidate, ≥ 1.</param>
/// <param name="Redundancy">Row-major n×n symmetric matrix in [0, 1] (diagonal ignored); null means no redundancy.</param>
/// <param name="MaxTokens">The token budget.</param>
/// <param name="MaxItems">The most candidates that may be chosen.</param>
/// <param name="Lambda">Weight of the redundancy penalty (≥ 0).</param>
public sealed record SelectionProblem(
    double[] Relevance,
    int[] Tokens,
    float[]? Redundancy,
    int MaxTokens,
    int MaxItems,
    double Lambda)
{
    /// <summary>The number of candidates.</summary>
    public int Count => Relevance.Length;

    /// <summary>Redundancy between candidates <paramref name="i"/> and <paramref name="j"/>.</summary>
    public double RedundancyOf(int i, int j) => Redundancy is null || i == j ? 0 : Redundancy[(i * Relevance.Length) + j];

    /// <summary>The objective of a selection (indices into the candidates).</summary>
    public double Objective(ReadOnlySpan<int> selected)
    {
        var total = 0.0;
        for (var a = 0; a < selected.Length; a++)
        {
            total += Relevance[selected[a]];
            for (var b = a + 1; b < selected.Length; b++)
            {
                total -= Lambda * RedundancyOf(selected[a], selected[b]);
            }
        }

        return total;
    }
}
