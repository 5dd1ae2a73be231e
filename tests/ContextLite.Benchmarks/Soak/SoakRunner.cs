using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContextLite.Benchmarks.Soak;

/// <summary>
/// Drives the soak: each client loops pick-a-workspace, pick-an-operation (30% ingest of 5 documents, 40% assemble,
/// 30% search), send, record; a sampler reads a node's RSS from <c>/proc/&lt;pid&gt;/status</c> and each node's <c>/health</c> memory (RSS and GC heap) every 5 s.
/// </summary>
internal sealed class SoakRunner(SoakSettings settings, TextWriter progress)
{
    private static readonly string[] Words =
        ["storage", "ring", "gateway", "quota", "token", "vector", "cluster", "lease", "redis", "index", "chunk", "budget", "solver", "query"];

    private readonly ConcurrentQueue<SoakOperation> _operations = new();
    private readonly List<MemorySample> _memory = [];

    public IReadOnlyCollection<SoakOperation> Operations => _operations;

    public IReadOnlyList<MemorySample> Memory => _memory;

    /// <summary>How often memory is sampled: every 5 s, or 20 times over a short run.</summary>
    private TimeSpan SampleInterval => TimeSpan.FromSeconds(Math.Clamp(settings.Duration.TotalSeconds / 20, 1, 5));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = settings.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(settings.Duration);
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, settings.Concurrency)
            .Select(c => Task.Run(() => ClientAsync(client, new Random(settings.Seed + c), clock, stop.Token), CancellationToken.None))
            .ToList();
        var sampler = SampleMemoryAsync(client, clock, stop.Token);
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

    private async Task SampleMemoryAsync(HttpClient client, Stopwatch clock, CancellationToken stop)
    {
        if (settings.Pid is null && settings.Nodes.Count == 0)
        {
            return;
        }

        while (true)
        {
            if (settings.Pid is { } pid && ReadRss(pid) is { } rss)
            {
                _memory.Add(new MemorySample($"pid {pid}", clock.Elapsed, rss, null, null));
            }

            foreach (var node in settings.Nodes)
            {
                if (await ReadHealthMemoryAsync(client, node, clock.Elapsed) is { } sample)
                {
                    _memory.Add(sample);
                }
            }

            var last = _memory.Count > 0 ? _memory[^1] : default;
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{clock.Elapsed:mm\\:ss} {_operations.Count} requests; {last.Process} rss {last.RssMb:F0} MB, managed heap {last.ManagedHeapMb:F0} MB"));
            try
            {
                await Task.Delay(SampleInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static double? ReadRss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    // The node's own view: RSS next to the GC heap (the last collection's size) and what the GC has committed.
    private static async Task<MemorySample?> ReadHealthMemoryAsync(HttpClient client, Uri node, TimeSpan at)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(node, "/health"), CancellationToken.None);
            var memory = JsonNode.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None))?["memory"];
            return memory is null
                ? null
                : new MemorySample(node.Authority, at, (double)memory["rss_mb"]!, (double)memory["managed_heap_mb"]!, (double)memory["gc_committed_mb"]!);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
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
