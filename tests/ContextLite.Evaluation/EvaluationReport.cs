using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextLite.Search;

namespace ContextLite.Evaluation;

/// <summary>Accumulates per-query metrics and renders them as a table, JSON and markdown.</summary>
internal sealed class EvaluationReport(string dataset, EvaluationArguments arguments)
{
    private readonly Dictionary<string, (List<double> Ndcg, List<double> Recall, List<double> Mrr)> _systems = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, (List<double> Selected, List<double> Packed, List<double> Tokens)> _assembly = [];
    private readonly SortedDictionary<int, List<double>> _latency = [];
    private readonly SortedDictionary<string, SortedDictionary<int, List<double>>> _variants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<double>> _stages = new(StringComparer.Ordinal);

    public double IngestSeconds { get; set; }

    public int IngestErrors { get; set; }

    public long Chunks { get; set; }

    public double ClusterSeconds { get; set; }

    public int K { get; set; }

    public int NProbe { get; set; }

    public List<double> IvfRecall { get; } = [];

    /// <summary>Clusters the IVF search probed per query (the engine's adaptive probing).</summary>
    public List<int> Probed { get; } = [];

    public Dictionary<string, int> Routes { get; } = new(StringComparer.Ordinal);

    public void Add(string system, IReadOnlyList<string> ranking, Dictionary<string, int> relevant)
    {
        if (!_systems.TryGetValue(system, out var lists))
        {
            _systems[system] = lists = ([], [], []);
        }

        lists.Ndcg.Add(Metrics.Ndcg(ranking, relevant, 10));
        lists.Recall.Add(Metrics.Recall(ranking, relevant, 100));
        lists.Mrr.Add(Metrics.Mrr(ranking, relevant, 10));
    }

    public void AddAssembly(int budget, double selected, double packed, int tokens)
    {
        if (!_assembly.TryGetValue(budget, out var lists))
        {
            _assembly[budget] = lists = ([], [], []);
        }

        lists.Selected.Add(selected);
        lists.Packed.Add(packed);
        lists.Tokens.Add(tokens);
    }

    public void AddVariant(string name, int budget, double recall)
    {
        if (!_variants.TryGetValue(name, out var budgets))
        {
            _variants[name] = budgets = [];
        }

        if (!budgets.TryGetValue(budget, out var list))
        {
            budgets[budget] = list = [];
        }

        list.Add(recall);
    }

    public void AddLatency(int budget, double milliseconds, AssembleResult result)
    {
        if (!_latency.TryGetValue(budget, out var list))
        {
            _latency[budget] = list = [];
        }

        list.Add(milliseconds);
        foreach (var (stage, ms) in result.Retrieval.StageMilliseconds)
        {
            if (!_stages.TryGetValue(stage, out var times))
            {
                _stages[stage] = times = [];
            }

            times.Add(ms);
        }
    }

    public void Print(TextWriter output)
    {
        output.WriteLine(Markdown());
    }

    public void Save(EvaluationArguments args)
    {
        if (args.Json is { } json)
        {
            File.WriteAllText(json, Json().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        if (args.Markdown is { } markdown)
        {
            MarkdownSections.Replace(markdown, "# Retrieval quality", $"## {dataset}", Markdown());
        }

        if (args.Benchmarks is { } benchmarks && _latency.Count > 0)
        {
            MarkdownSections.Replace(benchmarks, "# Benchmarks", $"## Assemble latency ({dataset})", LatencyMarkdown());
        }
    }

    private string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/ContextLite.Evaluation -- --dataset {arguments.Dataset} --vectors {arguments.Vectors ?? "none"}{(arguments.Queries is { } q ? $" --queries {q}" : string.Empty)} --markdown docs/quality.md`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Chunks} chunks ingested in {IngestSeconds:0.0} s ({IngestErrors} errors); {(K > 0 ? $"{K} clusters built in {ClusterSeconds:0.00} s, at most {NProbe} probed" : "no clusters (below clustering.min_chunks or no vectors)")}; {_systems.GetValueOrDefault("lexical").Ndcg?.Count ?? 0} queries.");
        text.AppendLine();
        var search = new SearchOptions();
        text.AppendLine(CultureInfo.InvariantCulture, $"`hybrid` and `auto` use the defaults (fusion {search.Fusion}, lexical weight {search.LexicalWeight}); `hybrid_*` rows compare fusions on the same candidates.");
        text.AppendLine();
        text.AppendLine("| system | nDCG@10 | Recall@100 | MRR@10 |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (system, (ndcg, recall, mrr)) in _systems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {system} | {ndcg.Average():0.0000} | {recall.Average():0.0000} | {mrr.Average():0.0000} |");
        }

        if (IvfRecall.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"IVF recall@10 against the exact scan, probing as the engine does: {IvfRecall.Average():0.0000} ({(Probed.Count > 0 ? Probed.Average() : 0):0.0} of {K} clusters probed on average, at most {NProbe}).");
        }

        if (Routes.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Routes taken by `auto`: {string.Join(", ", Routes.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))}.");
        }

        if (_assembly.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Budgeted assembly (hybrid candidates): share of each query's relevant documents inside the context, averaged over queries.");
            text.AppendLine();
            text.AppendLine("| budget (tokens) | selection (solver) | in-order packing | difference | mean tokens used | queries better / worse |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (var (budget, (selected, packed, tokens)) in _assembly)
            {
                var better = selected.Zip(packed).Count(p => p.First > p.Second + 1e-9);
                var worse = selected.Zip(packed).Count(p => p.First < p.Second - 1e-9);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {budget} | {selected.Average():0.0000} | {packed.Average():0.0000} | {selected.Average() - packed.Average():+0.0000;-0.0000;0} | {tokens.Average():0} | {better} / {worse} |");
            }
        }

        if (_variants.Count > 0)
        {
            text.AppendLine();
            var d = new ContextLite.Selection.SelectionOptions();
            text.AppendLine("Selection settings compared (same candidates; recall of relevant documents in the context):");
            text.AppendLine();
            text.AppendLine("| setting | " + string.Join(" | ", _assembly.Keys.Select(b => $"{b} tokens")) + " |");
            text.AppendLine("|---|" + string.Concat(_assembly.Keys.Select(_ => "---|")));
            text.AppendLine($"| default (half-life {d.RelevanceHalfLife}, floor {d.RedundancyFloor}, λ {d.Lambda}, {d.Solver}) | " + string.Join(" | ", _assembly.Values.Select(v => v.Selected.Average().ToString("0.0000", CultureInfo.InvariantCulture))) + " |");
            foreach (var (name, budgets) in _variants)
            {
                text.AppendLine($"| {name} | " + string.Join(" | ", budgets.Values.Select(v => v.Average().ToString("0.0000", CultureInfo.InvariantCulture))) + " |");
            }
        }

        return text.ToString();
    }

    private string LatencyMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, .NET {Environment.Version}, in-process engine (no HTTP), {Chunks} chunks, query vectors precomputed.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project tests/ContextLite.Evaluation -- --dataset {arguments.Dataset} --benchmarks docs/benchmarks.md`");
        text.AppendLine();
        text.AppendLine("| budget | queries | p50 ms | p95 ms | p99 ms |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var (budget, list) in _latency)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {budget} | {list.Count} | {Percentile(list, 50):0.00} | {Percentile(list, 95):0.00} | {Percentile(list, 99):0.00} |");
        }

        text.AppendLine();
        text.AppendLine("| stage | p50 ms | p95 ms |");
        text.AppendLine("|---|---|---|");
        foreach (var (stage, list) in _stages)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {stage} | {Percentile(list, 50):0.000} | {Percentile(list, 95):0.000} |");
        }

        return text.ToString();
    }

    private JsonObject Json()
    {
        var systems = new JsonObject();
        foreach (var (system, (ndcg, recall, mrr)) in _systems)
        {
            systems[system] = new JsonObject { ["ndcg_at_10"] = ndcg.Average(), ["recall_at_100"] = recall.Average(), ["mrr_at_10"] = mrr.Average(), ["queries"] = ndcg.Count };
        }

        var assembly = new JsonObject();
        foreach (var (budget, (selected, packed, tokens)) in _assembly)
        {
            assembly[budget.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["selection_recall"] = selected.Average(),
                ["in_order_packing_recall"] = packed.Average(),
                ["mean_tokens"] = tokens.Average(),
                ["latency_p50_ms"] = _latency.TryGetValue(budget, out var l) ? Percentile(l, 50) : null,
            };
        }

        return new JsonObject
        {
            ["dataset"] = dataset,
            ["chunks"] = Chunks,
            ["clusters"] = K,
            ["nprobe"] = NProbe,
            ["ivf_recall_at_10"] = IvfRecall.Count > 0 ? IvfRecall.Average() : null,
            ["systems"] = systems,
            ["assemble"] = assembly,
            ["routes"] = JsonSerializer.SerializeToNode(Routes),
        };
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
