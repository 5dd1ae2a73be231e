namespace ContextLite.Evaluation;

/// <summary>Command line: <c>--dataset DIR [--vectors minilm|none] [--json FILE] [--markdown FILE] [--benchmarks FILE] [--queries N]</c>.</summary>
internal sealed record EvaluationArguments(string Dataset, string? Vectors, string? Json, string? Markdown, string? Benchmarks, int? Queries)
{
    public static EvaluationArguments? Parse(string[] args, TextWriter error)
    {
        string? dataset = null, vectors = "minilm", json = null, markdown = null, benchmarks = null;
        int? queries = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--dataset": dataset = value; i++; break;
                case "--vectors": vectors = value is "none" ? null : value; i++; break;
                case "--json": json = value; i++; break;
                case "--markdown": markdown = value; i++; break;
                case "--benchmarks": benchmarks = value; i++; break;
                case "--queries" when int.TryParse(value, out var n) && n > 0: queries = n; i++; break;
                default:
                    error.WriteLine($"unknown or incomplete argument '{args[i]}'");
                    return null;
            }
        }

        if (dataset is null || !Directory.Exists(dataset))
        {
            error.WriteLine("usage: --dataset <dir> [--vectors minilm|none] [--json file] [--markdown docs/quality.md] [--benchmarks docs/benchmarks.md] [--queries N]");
            return null;
        }

        return new EvaluationArguments(dataset, vectors, json, markdown, benchmarks, queries);
    }
}
