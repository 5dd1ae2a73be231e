using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Node.Tests.Quotas;

namespace ContextLite.Node.Tests.Replication;

/// <summary>
/// Real nodes in this process that replicate every workspace on two of them (factor 2) through one Redis, on ports
/// chosen before any starts so each can name the others as peers. A node can be stopped and started again over its
/// data, as a crashed and restarted process would, and with another set of peers (the cluster's nodes changed).
/// </summary>
internal sealed class ReplicationCluster : IAsyncDisposable
{
    public const string ClusterKey = "replication-test-key-0123456789abcdef";

    private readonly RedisFixture _redis;
    private readonly string _prefix = "rt" + Guid.NewGuid().ToString("N")[..8] + ":";
    private readonly TempDirectory[] _data;
    private readonly int[] _ports;

    private readonly int _batchItems;

    /// <param name="redis">The Redis all nodes share.</param>
    /// <param name="nodes">How many nodes (at most three).</param>
    /// <param name="batchItems">Changes per workspace per pull: small by default so tests cross page boundaries.</param>
    public ReplicationCluster(RedisFixture redis, int nodes = 2, int batchItems = 7)
    {
        _redis = redis;
        _batchItems = batchItems;
        _data = [.. Enumerable.Range(0, nodes).Select(_ => new TempDirectory())];
        _ports = [.. Enumerable.Range(0, nodes).Select(_ => NodeHost.FreePort())];
        Nodes = new NodeHost?[nodes];
    }

    public static readonly string[] Ids = ["node-a", "node-b", "node-c"];

    public NodeHost?[] Nodes { get; }

    public NodeHost this[int index] => Nodes[index] ?? throw new InvalidOperationException($"{Ids[index]} is stopped.");

    public string KeyPrefix => _prefix;

    /// <summary>Starts node <paramref name="index"/> with the nodes of <paramref name="members"/> (default: all) as its cluster.</summary>
    public async Task StartAsync(int index, IReadOnlyList<int>? members = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = _redis.Server.ConnectionString,
            ["membership:key_prefix"] = _prefix,
            ["membership:heartbeat_seconds"] = "1",
            ["internal:cluster_key"] = ClusterKey,
            ["replication:factor"] = "2",
            // Short enough for the tests to wait on, long enough that a primary slowed by a loaded machine is not deposed.
            ["replication:failover_timeout_ms"] = "3000",
            ["replication:poll_wait_ms"] = "300",
            ["replication:ack_timeout_ms"] = "3000",
            ["replication:batch_items"] = _batchItems.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cache:enabled"] = "false",
        };
        foreach (var other in (members ?? [.. Enumerable.Range(0, Nodes.Length)]).Where(o => o != index))
        {
            settings[$"replication:peers:{Ids[other]}"] = $"http://127.0.0.1:{_ports[other]}";
        }

        Nodes[index] = await NodeHost.StartAsync(settings, _data[index].Path, Ids[index], port: _ports[index]);
    }

    public async Task StopAsync(int index)
    {
        if (Nodes[index] is { } node)
        {
            Nodes[index] = null;
            await node.DisposeAsync();
        }
    }

    public static Task<HttpResponseMessage> WriteAsync(NodeHost node, string workspace, string id, string content, IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
        {
            Content = JsonContent.Create(new JsonObject { ["id"] = id, ["path"] = id + ".md", ["content"] = content }),
        };
        request.Headers.Add("X-Workspace-ID", workspace);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return node.Client.SendAsync(request);
    }

    /// <summary>Every document id → content of <paramref name="workspace"/> on <paramref name="node"/>.</summary>
    public static async Task<SortedDictionary<string, string>> ContentsAsync(NodeHost node, string workspace)
    {
        var contents = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await node.GetJsonAsync<JsonObject>("/api/v1/documents?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), workspace);
            foreach (var item in page["items"]!.AsArray())
            {
                var id = item!["id"]!.GetValue<string>();
                // The copy may change between the list and the read (a snapshot or a drop in progress): a document gone
                // meanwhile is left out, and the caller, comparing with what it expects, looks again.
                using var answer = await node.GetAsync("/api/v1/documents/" + Uri.EscapeDataString(id), workspace);
                if (answer.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    continue;
                }

                if (!answer.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"{(int)answer.StatusCode} reading {id}: {await answer.Content.ReadAsStringAsync()}");
                }

                contents[id] = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["content"]!.GetValue<string>();
            }

            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return contents;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // A copy catching up answers reads with 503 for a moment: not there yet.
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Nodes.Length; i++)
        {
            await StopAsync(i);
        }

        foreach (var data in _data)
        {
            data.Dispose();
        }
    }
}
