using System.CommandLine;

namespace ContextLite.Benchmarks.Soak;

/// <summary>
/// <c>soak --url &lt;node or gateway&gt; [--duration 300] [--workspaces 20] [--concurrency 4] [--pid &lt;node pid&gt;]
/// [--node &lt;node url&gt;]… [--tokens-per-minute &lt;limit&gt;] [--max-rss-slope 1]</c>: a bounded mixed-traffic soak; exit 1 on an error, a memory trend or a quota overrun.
/// </summary>
internal static class SoakCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        var url = new Option<string>("--url") { Description = "The node's or the gateway's base URL.", Required = true };
        var duration = new Option<int>("--duration") { Description = "Seconds to run.", DefaultValueFactory = _ => 300 };
        var workspaces = new Option<int>("--workspaces") { Description = "Workspaces to spread the traffic over.", DefaultValueFactory = _ => 20 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients.", DefaultValueFactory = _ => 4 };
        var pid = new Option<int?>("--pid") { Description = "The node process whose RSS is sampled every 5 s." };
        var nodes = new Option<string[]>("--node") { Description = "A node's base URL whose /health memory (RSS and GC heap) is sampled; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var maxSlope = new Option<double>("--max-rss-slope") { Description = "Second-half RSS slope (MB/min) still called flat.", DefaultValueFactory = _ => 1.0 };
        var tokens = new Option<long>("--tokens-per-minute") { Description = "The workspaces' max_tokens_per_minute, to check that quotas hold (0: not checked)." };
        var seed = new Option<int>("--seed") { Description = "The traffic seed.", DefaultValueFactory = _ => 7 };
        var soak = new Command("soak", "Mixed ingest/assemble/search against a running node or gateway.")
        {
            url, duration, workspaces, concurrency, pid, nodes, maxSlope, tokens, seed,
        };
        soak.SetAction(async (result, cancellationToken) =>
        {
            var settings = new SoakSettings(
                new Uri(result.GetValue(url)!),
                TimeSpan.FromSeconds(result.GetValue(duration)),
                result.GetValue(workspaces),
                result.GetValue(concurrency),
                result.GetValue(pid),
                [.. (result.GetValue(nodes) ?? []).Select(n => new Uri(n))],
                result.GetValue(tokens),
                result.GetValue(seed),
                result.GetValue(maxSlope));
            var runner = new SoakRunner(settings, Console.Out);
            await runner.RunAsync(cancellationToken);
            var command = "dotnet run -c Release --project tests/ContextLite.Benchmarks -- " + string.Join(' ', args);
            var (text, passed) = SoakReport.Build(settings, runner.Operations, runner.Memory, command);
            Console.WriteLine();
            Console.Write(text);
            return passed ? 0 : 1;
        });
        return new RootCommand("ContextLite soak.") { soak }.Parse(args).InvokeAsync();
    }
}
