using System.Globalization;
using System.Text;
using ContextLite.Benchmarks.Reporting;

namespace ContextLite.Benchmarks.Selection;

/// <summary>The <c>## Selection solvers</c> section of <c>docs/benchmarks.md</c>.</summary>
internal static class SolverReport
{
    public const string Heading = "## Selection solvers";

    public static string Build(SolverSettings settings, SolverBenchmark benchmark, string command, DateTimeOffset when)
    {
        var text = new StringBuilder();
        Line(text, $"- Date: {when:yyyy-MM-dd HH:mm} UTC");
        Line(text, $"- Machine: {MachineInfo.Cores} cores ({MachineInfo.Processor}), {MachineInfo.OperatingSystem}, {MachineInfo.Runtime}, {MachineInfo.Configuration} build; load average {benchmark.Load.Before} before the runs, {benchmark.Load.After} after");
        Line(text, $"- Command: `{command}`");
        Line(text, $"- Instances: {settings.Instances} per candidate count n (seed {settings.Seed}); budget {SolverSettings.MaxTokens:N0} tokens, at most {SolverSettings.MaxItems} documents, λ = {SolverSettings.Lambda}; tokens uniform in {SolverSettings.MinItemTokens}–{SolverSettings.MaxItemTokens:N0}; embeddings are random 16-d unit vectors clustered around 1–6 random topics, relevance = (1 + cos(query, doc)) / 2, redundancy = max(0, cos(doc_i, doc_j)).");
        Line(text, $"- Method: every solver gets {settings.LimitMilliseconds} ms per instance; time is the solver's own wall time (validation, model building and, for Z3, native calls included), after a warm-up. The best known objective of an instance is the best any run found, including branch-and-bound with a {settings.ReferenceMilliseconds / 1000.0:0.#} s limit; gap = (best known − objective) / best known. Proven gap = (bound − objective) / bound, what the solver can certify on its own (mean over answers with a finite bound).");
        Line(text, $"- Reading: greedy's bound is the root relaxation (relevance only, redundancy ignored), hence its large proven gap even where its answer is optimal; a gap of 100 % is the empty selection (Z3 had no model yet, or its model scored below zero).");
        if (!benchmark.Z3Measured)
        {
            Line(text, $"- Z3 was not measured: libz3.so.4 could not be loaded.");
        }

        text.Append('\n');
        Line(text, $"| n | Best known proven optimal | Reference run (B&B, {settings.ReferenceMilliseconds / 1000.0:0.#} s limit): mean time |");
        Line(text, $"| ---: | ---: | ---: |");
        foreach (var reference in benchmark.References)
        {
            Line(text, $"| {reference.Candidates} | {reference.Proven}/{reference.Instances} | {reference.MeanMilliseconds:F1} ms |");
        }

        text.Append('\n');
        Line(text, $"| n | Solver | Mean time (ms) | p95 time (ms) | Mean gap to best known | Max gap | Optimal / feasible | Mean proven gap |");
        Line(text, $"| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var m in benchmark.Measurements)
        {
            var proven = m.MeanProvenGap is { } gap ? gap.ToString("P1", CultureInfo.InvariantCulture) : "none (bound +∞)";
            Line(text, $"| {m.Candidates} | {m.Solver} | {m.MeanMilliseconds:F3} | {m.P95Milliseconds:F3} | {m.MeanGap:P2} | {m.MaxGap:P2} | {m.Optimal} / {m.Feasible} | {proven} |");
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
