using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContextLite.Benchmarks.Soak;

/// <summary>
/// Drives the soak: each client loops pick-a-workspace, pick-an-operation (30% ingest of 5 documents, 40% assemble,
/// 30% search), send, record; a sampler reads the node's RSS from <c>/proc/&lt;pid&gt;/status</c> every 5 s.
/// </summary>
internal sealed class SoakRunner(SoakSettings settings, TextWriter progress)
{
    private static readonly string[] Words =
        ["storage", "ring", "gateway", "quota", "token", "vector", "cluster", "lease", "redis", "index", "chunk", "budget", "solver", "query"];

    private readonly ConcurrentQueue<SoakOperation> _operations = new();
    private readonly List<(TimeSpan At, double RssMb)> _rss = [];

    public IReadOnlyCollection<SoakOperation> Operations => _operations;

    public IReadOnlyList<(TimeSpan At, double RssMb)> Rss => _rss;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = settings.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(settings.Duration);
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, settings.Concurrency)
            .Select(c => Task.Run(() => ClientAsync(client, new Random(settings.Seed + c), clock, stop.Token), CancellationToken.None))
            .ToList();
        var sampler = SampleRssAsync(clock, stop.Token);
        await Task.WhenAll(clients);
        await sampler;
    }

    private async Task ClientAsync(HttpClient client, Random random, Stopwatch clock, CancellationToken stop)
    {
        var sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            var workspace = "soak-" + random.Next(settings.Workspaces).ToString(CultureInfo.InvariantCulture);
            var roll = random.Next(100);
            var (kind, path, body) = roll < 30
                ? ("ingest", "/api/v1/documents/bulk", IngestBody(random, workspace, Interlocked.Increment(ref sequence)))
                : roll < 70
                    ? ("assemble", "/api/v1/assemble", $$"""{"query":"{{Query(random)}}","max_tokens":800,"max_documents":5}""")
                    : ("search", "/api/v1/search", $$"""{"query":"{{Query(random)}}","k":5}""");
            var started = clock.Elapsed;
            int status;
            long tokens = 0;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/workspace/" + workspace + path)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                using var response = await client.SendAsync(request, CancellationToken.None);
                status = (int)response.StatusCode;
                if (kind == "assemble" && status == 200)
                {
                    var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None))!;
                    tokens = (long)answer["total_tokens"]!;
                }
                else
                {
                    await response.Content.ReadAsStringAsync(CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                status = 0;
            }

            _operations.Enqueue(new SoakOperation(kind, workspace, status, (clock.Elapsed - started).TotalMilliseconds, tokens, started));
        }
    }

    private async Task SampleRssAsync(Stopwatch clock, CancellationToken stop)
    {
        if (settings.Pid is not { } pid)
        {
            return;
        }

        while (true)
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null)
            {
                var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                _rss.Add((clock.Elapsed, kb / 1024));
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:mm\\:ss} rss {kb / 1024:F0} MB, {_operations.Count} requests"));
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string IngestBody(Random random, string workspace, int sequence)
    {
        var documents = new JsonArray();
        for (var i = 0; i < 5; i++)
        {
            var text = string.Join(' ', Enumerable.Range(0, 60 + random.Next(120)).Select(_ => Words[random.Next(Words.Length)]));
            // Ids repeat (200 per workspace): the soak also updates, so the store stays bounded and memory should too.
            var id = $"doc-{random.Next(200)}";
            documents.Add(new JsonObject { ["id"] = id, ["path"] = id + ".md", ["content"] = $"{workspace} {sequence} {text}" });
        }

        return documents.ToJsonString();
    }

    private static string Query(Random random) => JsonEncodedText.Encode(Words[random.Next(Words.Length)] + " " + Words[random.Next(Words.Length)]).ToString();
}
