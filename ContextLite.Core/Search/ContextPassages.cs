using System.Globalization;
using System.Text;
using ContextLite.Selection;

namespace ContextLite.Search;

/// <summary>Turns a solver's chosen candidates into ordered passages, merging adjacent chunks of a document.</summary>
internal static class ContextPassages
{
    /// <summary>Cosine at or above which an unchosen candidate counts as a copy of a chosen one.</summary>
    public const double DuplicateSimilarity = 0.98;

    public static List<AssembledPassage> Build(
        IReadOnlyList<RankedChunk> candidates, SelectionProblem problem, IReadOnlyList<int> selected, bool mergeAdjacent, Func<int, int, double> similarity)
    {
        var copies = Copies(candidates, selected, similarity);
        var groups = selected
            .Select(i => (Index: i, Candidate: candidates[i]))
            .GroupBy(x => x.Candidate.Chunk.DocumentId, StringComparer.Ordinal);
        var passages = new List<AssembledPassage>();
        foreach (var group in groups)
        {
            var run = new List<(int Index, RankedChunk Candidate)>();
            foreach (var item in group.OrderBy(x => x.Candidate.Chunk.Ordinal))
            {
                if (run.Count > 0 && (!mergeAdjacent || item.Candidate.Chunk.Ordinal != run[^1].Candidate.Chunk.Ordinal + 1))
                {
                    passages.Add(Passage(run, problem, copies));
                    run.Clear();
                }

                run.Add(item);
            }

            passages.Add(Passage(run, problem, copies));
        }

        passages.Sort((a, b) => b.Relevance.CompareTo(a.Relevance));
        return passages;
    }

    // Each unchosen candidate that repeats a chosen one (same text, or cosine ≥ DuplicateSimilarity) is
    // attributed to the chosen candidate it is most similar to.
    private static Dictionary<int, List<DuplicateSource>> Copies(IReadOnlyList<RankedChunk> candidates, IReadOnlyList<int> selected, Func<int, int, double> similarity)
    {
        var copies = new Dictionary<int, List<DuplicateSource>>();
        var chosen = new HashSet<int>(selected);
        for (var j = 0; j < candidates.Count; j++)
        {
            if (chosen.Contains(j))
            {
                continue;
            }

            var (best, score) = (-1, 0.0);
            foreach (var i in selected)
            {
                var s = string.Equals(candidates[i].Chunk.Text, candidates[j].Chunk.Text, StringComparison.Ordinal) ? 1.0 : similarity(i, j);
                if (s >= DuplicateSimilarity && s > score)
                {
                    (best, score) = (i, s);
                }
            }

            if (best >= 0)
            {
                var c = candidates[j].Chunk;
                if (!copies.TryGetValue(best, out var list))
                {
                    copies[best] = list = [];
                }

                list.Add(new DuplicateSource(c.DocumentId, c.Path, c.StartLine, c.EndLine, Math.Round(score, 4)));
            }
        }

        return copies;
    }

    private static AssembledPassage Passage(List<(int Index, RankedChunk Candidate)> run, SelectionProblem problem, Dictionary<int, List<DuplicateSource>> copies)
    {
        var best = run.MaxBy(x => problem.Relevance[x.Index]);
        var content = new StringBuilder();
        foreach (var (_, candidate) in run)
        {
            content.Append(candidate.Chunk.Text);
        }

        var first = run[0].Candidate.Chunk;
        var last = run[^1].Candidate.Chunk;
        return new AssembledPassage(
            first.DocumentId,
            first.Path,
            first.StartLine,
            last.EndLine,
            content.ToString(),
            run.Sum(x => problem.Tokens[x.Index]),
            problem.Relevance[best.Index],
            run.Max(x => x.Candidate.LexicalScore),
            run.Max(x => x.Candidate.SemanticScore),
            best.Candidate.Cluster,
            run.Select(x => x.Candidate.Chunk.Id).ToList(),
            Reason(best.Candidate, run.Count),
            run.SelectMany(x => copies.GetValueOrDefault(x.Index) ?? []).ToList());
    }

    private static string Reason(RankedChunk c, int merged)
    {
        var parts = new List<string>();
        if (c.LexicalRank is { } lr)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"lexical #{lr} (bm25 {c.LexicalScore:0.##})"));
        }

        if (c.SemanticRank is { } sr)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"semantic #{sr} (cosine {c.SemanticScore:0.###})"));
        }

        if (merged > 1)
        {
            parts.Add($"{merged} adjacent chunks merged");
        }

        return parts.Count == 0 ? "chosen" : string.Join("; ", parts);
    }
}
