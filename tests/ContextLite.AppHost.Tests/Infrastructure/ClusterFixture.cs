using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextLite.AppHost.Tests.Infrastructure;

/// <summary>
/// The whole AppHost started once for a test collection: embedded Redis (no container runtime here), three
/// nodes with their data in a temporary directory, the gateway on a port Aspire picks, the indexer.
/// </summary>
/// <remarks>
/// The AppHost's own knobs make it testable: <c>Gateway:Port=0</c>, <c>Cluster:DataDirectory</c>,
/// <c>NodeSettings:*</c> (environment of every node) and <c>GatewaySettings:*</c> (environment of the gateway).
/// Starting takes 35–60 s on a two-core machine, hence one app per collection.
/// </remarks>
public class ClusterFixture : IAsyncLifetime
{
    /// <summary>The workspace with a low token-per-minute limit, set on every node through the AppHost.</summary>
    public const string QuotaWorkspace = "quota-test";

    public const int QuotaTokensPerMinute = 3000;

    /// <summary>The clustering threshold the nodes and the indexer get (low, so that a test can pass it quickly).</summary>
    public const int IndexerMinChunks = 30;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    public static readonly string[] NodeNames = ["node-1", "node-2", "node-3"];

    private static readonly System.Text.RegularExpressions.Regex s_ansi = new(@"\x1b\[[0-9;]*m", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(3);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "contextlite-apphost-tests-" + Guid.NewGuid().ToString("N"));
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The resource names the AppHost declares, as the app model holds them.</summary>
    public IReadOnlyList<string> ResourceNames { get; private set; } = [];

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(s_startTimeout);
        string[] args =
        [
            "Redis:Mode=embedded",
            "Gateway:Port=0",
            "Cluster:DataDirectory=" + _dataDirectory,
            $"NodeSettings:cluster:resource_limits:{QuotaWorkspace}:max_tokens_per_minute={QuotaTokensPerMinute}",
            // Probe nodes every 2 s (default 30 s) so a stopped node is taken out within seconds.
            "GatewaySettings:cluster:load_balancing:health_check_interval=2",
            // Clusters from 30 vectors on (default 2,000), reported and scanned within a second or two.
            $"NodeSettings:clustering:min_chunks={IndexerMinChunks}",
            "NodeSettings:internal:dirty_flush_ms=200",
            $"IndexerSettings:indexer:min_chunks={IndexerMinChunks}",
            "IndexerSettings:indexer:poll_seconds=1",
            "IndexerSettings:indexer:heartbeat_seconds=1",
            "IndexerSettings:indexer:pause_between_rebuilds_ms=200",
            .. ExtraArguments,
        ];

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ContextLite_AppHost>(args, timeout.Token);
        // Resources answer their health checks only once started: the failures before that are expected noise.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("ContextLite.AppHost.Resources", LogLevel.Warning)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);

        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        ResourceNames = [.. model.Resources.OfType<ProjectResource>().Select(r => r.Name)];
        await Task.WhenAll(ResourceNames.Select(name => _app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
        var logs = _app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var node in NodeNames.Append("indexer"))
        {
            // By resource, not by name: the name-based overload wants DCP's instance id (node-1-abcdef) and saw nothing.
            var resource = model.Resources.First(r => r.Name == node);
            _ = Task.Run(async () =>
            {
                var keep = false;
                await foreach (var batch in logs.WatchAsync(resource))
                {
                    foreach (var line in batch)
                    {
                        // The console logger colours its level names; without the escapes "fail:" can be matched.
                        var text = s_ansi.Replace(line.Content, string.Empty);
                        keep = text.Contains("fail:", StringComparison.Ordinal) || text.Contains("crit:", StringComparison.Ordinal) || (keep && text.StartsWith(' '));
                        if (keep || text.Contains("Exception", StringComparison.Ordinal))
                        {
                            _errors.Enqueue($"{node}: {text}");
                        }
                    }
                }
            });
        }
    }

    /// <summary>AppHost arguments a collection's own cluster adds to the shared ones.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A node that has not quite exited may still hold a file; the OS cleans temp eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Error lines the nodes logged so far (for failure messages: the nodes' own logs are not in the test output).</summary>
    public string NodeErrors() => string.Join(Environment.NewLine, _errors);

    public HttpClient Gateway() => App.CreateHttpClient("gateway");

    public HttpClient Node(string name) => App.CreateHttpClient(name);

    /// <summary>The operating-system process id of a running resource (as DCP reports it), or null.</summary>
    public int? ProcessId(string resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var state)
        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;
}
