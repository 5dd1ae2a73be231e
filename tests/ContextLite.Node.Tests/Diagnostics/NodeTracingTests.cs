using System.Collections;
using System.Diagnostics;
using System.Net;
using ContextLite.Node.Tests.Infrastructure;
using ContextLite.Node.Tests.Quotas;
using OpenTelemetry.Trace;

namespace ContextLite.Node.Tests.Diagnostics;

/// <summary>The spans a node exports, read from an in-memory OpenTelemetry exporter added to the real pipeline.</summary>
public sealed class NodeTracingTests
{
    [Fact]
    public async Task Tracing_ProbesAndAssemble_ProbesExportNoSpansAndAssembleExportsItsStages()
    {
        var exported = new LockedList<Activity>();
        var probesStopped = new LockedList<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            // Propagation only: this listener must not make the probes' activities recorded.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStopped = activity =>
            {
                // The hosting activity carries the path only once OpenTelemetry enriched it; a probe's is never enriched.
                if (activity.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn" && !activity.Recorded)
                {
                    probesStopped.Add(activity.Id ?? "");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var node = await NodeHost.StartAsync(settings: new Dictionary<string, string?> { ["telemetry:tracing"] = "true" }, configure: builder =>
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));
        await QuotaApiTests.IngestAsync(node, "traced");
        await node.WaitForEmbeddingsAsync();
        foreach (var probe in new[] { "/health", "/alive", "/metrics" })
        {
            using var response = await node.GetAsync(probe);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var assemble = await node.PostJsonAsync("/api/v1/assemble", """{"query":"alpha bravo","max_tokens":300}""", "traced");
        Assert.Equal(HttpStatusCode.OK, assemble.StatusCode);

        // Other tests' nodes run in this process and every provider listens process-wide, so find this request by
        // its workspace. Spans end after the response is written: wait until the request's server span is exported.
        var engine = await EventuallyAsync(() => exported.Snapshot().FirstOrDefault(a =>
            a.OperationName == "assemble" && (string?)a.GetTagItem("contextlite.workspace") == "traced"));
        var server = await EventuallyAsync(() => exported.Snapshot().FirstOrDefault(a => a.SpanId == engine.ParentSpanId));
        var spans = exported.Snapshot();

        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("/api/v1/assemble", server.GetTagItem("url.path"));
        Assert.DoesNotContain(spans, a => a.GetTagItem("url.path") is "/health" or "/alive" or "/metrics");
        Assert.True(probesStopped.Snapshot().Count >= 3, "the probes ran through the ASP.NET Core activity");
        var byName = spans.Where(a => a.TraceId == server.TraceId && a.Source.Name == "ContextLite.Node")
            .ToDictionary(a => a.OperationName, StringComparer.Ordinal);
        Assert.Equal(server.SpanId, byName["assemble"].ParentSpanId);
        Assert.Equal(byName["assemble"].SpanId, byName["retrieve"].ParentSpanId);
        Assert.Equal(byName["assemble"].SpanId, byName["selection"].ParentSpanId);
        foreach (var stage in new[] { "lexical", "embed", "vector", "fusion" })
        {
            Assert.Equal(byName["retrieve"].SpanId, byName[stage].ParentSpanId);
        }

        Assert.Equal("traced", byName["selection"].GetTagItem("contextlite.workspace"));
        Assert.NotNull(byName["selection"].GetTagItem("contextlite.solver"));
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class
    {
        // Spans are exported after the response; a loaded machine can take a while (up to a minute is allowed).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("the expected span was never exported");
    }

    /// <summary>The exporter adds from request threads while the test reads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
