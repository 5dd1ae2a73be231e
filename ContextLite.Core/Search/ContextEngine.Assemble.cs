using System.Diagnostics;
using ContextLite.Selection;

namespace ContextLite.Search;

public sealed partial class ContextEngine
{
    /// <summary>The largest budget accepted.</summary>
    public const int MaxBudgetTokens = 1_000_000;

    /// <summary>Retrieves candidates and chooses the best set that fits the budget.</summary>
    /// <exception cref="QueryRejectedException">A parameter is out of range or names an unknown solver.</exception>
    public async Task<AssembleResult> AssembleAsync(Storage.WorkspaceStore store, AssembleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxTokens is < 1 or > MaxBudgetTokens)
        {
            throw new QueryRejectedException($"'max_tokens' must be between 1 and {MaxBudgetTokens}; got {request.MaxTokens}.");
        }

        if (request.MaxDocuments is < 1 or > 10_000)
        {
            throw new QueryRejectedException($"'max_documents' must be between 1 and 10000; got {request.MaxDocuments}.");
        }

        var solverName = request.Solver ?? _selection.Solver;
        if (!ContextSelectors.TryGet(solverName, out var selector))
        {
            throw new QueryRejectedException($"'solver' '{solverName}' is unknown; use one of {string.Join(", ", ContextSelectors.Names)}.");
        }

        using var assembleSpan = StartSpan("assemble", store);
        var retrieval = await RetrieveAsync(store, request.Query, request.Mode, _search.SelectionCandidates, request.QueryEmbedding, includeText: true, cancellationToken)
            .ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        var candidates = retrieval.Chunks;
        var similarities = retrieval.Vectors?.Similarities([.. candidates.Select(c => c.Chunk.Id)]);
        var problem = BuildProblem(candidates, similarities, request);
        var stages = new Dictionary<string, double>(retrieval.StageMilliseconds) { ["model"] = Elapsed(start) };

        SelectionResult result;
        using (var span = StartSpan("selection", store))
        {
            result = selector.Select(problem, TimeSpan.FromMilliseconds(_selection.TimeLimitMs), cancellationToken);
            span?.SetTag("contextlite.solver", result.Solver)
                .SetTag("contextlite.solver.status", result.Status.ToString().ToLowerInvariant())
                .SetTag("contextlite.candidates", candidates.Count)
                .SetTag("contextlite.selected", result.Selected.Count);
        }

        stages["solve"] = result.Elapsed.TotalMilliseconds;

        start = Stopwatch.GetTimestamp();
        var n = candidates.Count;
        var passages = ContextPassages.Build(candidates, problem, result.Selected, _selection.MergeAdjacent,
            (i, j) => similarities?[(i * n) + j] is { } s && !float.IsNaN(s) ? s : 0);
        var penalties = request.Explain ? Penalties(candidates, problem, result.Selected) : null;
        stages["assemble"] = Elapsed(start);
        return new AssembleResult(passages, passages.Sum(p => p.Tokens), retrieval with { StageMilliseconds = stages }, result, candidates.Count, penalties);
    }

    /// <summary>
    /// Relevance decays with rank (<see cref="SelectionOptions.RelevanceHalfLife"/>), or is the fused score scaled
    /// to the best candidate when the half-life is 0: the solver maximises a sum, so relevance must say how much
    /// more the first passage is worth than the tenth, which rank-fusion scores do not. Redundancy is the similarity of two chunks —
    /// cosine above <see cref="SelectionOptions.RedundancyFloor"/> rescaled to [0, 1], or word-set Jaccard when a
    /// chunk has no vector — times the smaller of their relevances, so that with λ = 1 a second copy of a chunk
    /// contributes exactly nothing. Adjacent chunks of one document are never redundant: they merge into one passage.
    /// </summary>
    private SelectionProblem BuildProblem(IReadOnlyList<RankedChunk> candidates, float[]? similarities, AssembleRequest request)
    {
        var n = candidates.Count;
        var relevance = new double[n];
        var tokens = new int[n];
        var best = n > 0 ? candidates[0].Score : 0;
        var halfLife = _selection.RelevanceHalfLife;
        for (var i = 0; i < n; i++)
        {
            relevance[i] = halfLife > 0 ? Math.Pow(2, -i / halfLife) : best > 0 ? candidates[i].Score / best : 0;
            tokens[i] = Math.Max(1, candidates[i].Chunk.Tokens);
        }

        var redundancy = new float[n * n];
        var words = new HashSet<string>?[n];
        var floor = _selection.RedundancyFloor;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var a = candidates[i].Chunk;
                var b = candidates[j].Chunk;
                double similarity;
                if (a.DocumentId == b.DocumentId && Math.Abs(a.Ordinal - b.Ordinal) == 1)
                {
                    similarity = 0;
                }
                else
                {
                    var cosine = similarities?[(i * n) + j] ?? float.NaN;
                    similarity = float.IsNaN(cosine)
                        ? Jaccard(words[i] ??= Words(a.Text), words[j] ??= Words(b.Text))
                        : Math.Max(0, (cosine - floor) / (1 - floor));
                }

                // Scaled by the smaller relevance: with λ = 1 an exact duplicate adds nothing, so it is never worth its tokens.
                redundancy[(i * n) + j] = redundancy[(j * n) + i] = (float)(similarity * Math.Min(relevance[i], relevance[j]));
            }
        }

        return new SelectionProblem(relevance, tokens, redundancy, request.MaxTokens, request.MaxDocuments, _selection.Lambda);
    }

    private static List<RedundancyPenalty> Penalties(IReadOnlyList<RankedChunk> candidates, SelectionProblem problem, IReadOnlyList<int> selected)
    {
        var chosen = new HashSet<int>(selected);
        var penalties = new List<RedundancyPenalty>();
        foreach (var i in selected)
        {
            for (var j = 0; j < candidates.Count; j++)
            {
                var penalty = problem.Lambda * problem.RedundancyOf(i, j);
                if (!chosen.Contains(j) && penalty > 0)
                {
                    penalties.Add(new RedundancyPenalty(candidates[i].Chunk.Id, candidates[i].Chunk.Path, candidates[j].Chunk.Id, candidates[j].Chunk.Path, penalty));
                }
            }
        }

        penalties.Sort((a, b) => b.Penalty.CompareTo(a.Penalty));
        return penalties.Count > 100 ? penalties.GetRange(0, 100) : penalties;
    }

    private static HashSet<string> Words(string? text) => [.. FtsQuery.Parse(text).Terms];

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var shared = 0;
        foreach (var word in a)
        {
            if (b.Contains(word))
            {
                shared++;
            }
        }

        return (double)shared / (a.Count + b.Count - shared);
    }
}
