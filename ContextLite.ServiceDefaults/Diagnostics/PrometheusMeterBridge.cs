using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace ContextLite.ServiceDefaults.Diagnostics;

/// <summary>
/// Publishes a service's own <see cref="Meter"/>s — the instruments OpenTelemetry exports by OTLP — in a
/// prometheus-net <see cref="CollectorRegistry"/> served on <c>/metrics</c>, so both exports read the same
/// measurements.
/// </summary>
/// <remarks>
/// <para>
/// prometheus-net's own <c>MeterAdapter</c> is not used: it names a series <c>{meter}_{instrument}</c>
/// (<c>contextlite_node_contextlite_requests</c>), turns counters into gauges and drops a series after five
/// idle minutes. Here an instrument <c>contextlite.request.duration</c> (unit <c>s</c>) becomes
/// <c>contextlite_request_duration_seconds</c>, a <see cref="Counter{T}"/> a Prometheus counter with
/// <c>_total</c>, an up-down counter or observable gauge a gauge, a histogram a histogram (buckets from the
/// instrument's advice), and series live as long as the process, which the workspace cap keeps bounded.
/// </para>
/// <para>
/// Only meters created by this host's <see cref="IMeterFactory"/> with one of the given names are published,
/// so several hosts in one process (tests) each serve their own numbers. An instrument's label names are
/// fixed by its first measurement; a later measurement's missing tags are recorded as empty.
/// </para>
/// </remarks>
public sealed class PrometheusMeterBridge : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, PrometheusSeries> _series = new();
    private readonly IMetricFactory _factory;
    private readonly IMeterFactory _meters;
    private readonly HashSet<string> _meterNames;
    private readonly Lock _observeLock = new();
    private volatile bool _disposed;

    /// <summary>Starts listening to <paramref name="meterNames"/> created by <paramref name="meters"/>.</summary>
    /// <param name="meters">The host's meter factory: only its meters are published.</param>
    /// <param name="meterNames">The service's own meters.</param>
    /// <param name="service">
    /// The service's name, published as <c>contextlite_service_info{service="..."} 1</c> so that the answer is
    /// never empty (a service without instruments of its own yet still says who it is).
    /// </param>
    public PrometheusMeterBridge(IMeterFactory meters, IEnumerable<string> meterNames, string service)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(meterNames);
        _meters = meters;
        _meterNames = new HashSet<string>(meterNames, StringComparer.Ordinal);
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        _factory.CreateGauge("contextlite_service_info", "The service serving these metrics (always 1).", ["service"]).WithLabels(service).Set(1);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _meters) && _meterNames.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, m, tags, _) => Record(i, m, tags));
        _listener.SetMeasurementEventCallback<long>((i, m, tags, _) => Record(i, m, tags));
        _listener.SetMeasurementEventCallback<float>((i, m, tags, _) => Record(i, m, tags));
        _listener.SetMeasurementEventCallback<double>((i, m, tags, _) => Record(i, m, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(ObserveAll);
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The Prometheus name of an instrument: dots to underscores, the unit as a suffix, <c>_total</c> on counters.</summary>
    public static string PrometheusName(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var name = Sanitize(instrument.Name);
        var suffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    /// <summary>
    /// Reads every observable instrument, then drops the series an observable gauge no longer reports (a deleted
    /// workspace), so that a scrape shows exactly what the last observation returned.
    /// </summary>
    private void ObserveAll()
    {
        if (_disposed)
        {
            return;
        }

        lock (_observeLock)
        {
            foreach (var series in _series.Values)
            {
                series.BeginObservation();
            }

            _listener.RecordObservableInstruments();
            foreach (var series in _series.Values)
            {
                series.EndObservation();
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        try
        {
            var series = _series.GetOrAdd(instrument, static (i, t) => Create(i, t.Factory, t.Keys), (Factory: _factory, Keys: KeysOf(tags)));
            var values = new string[series.LabelKeys.Length];
            for (var k = 0; k < values.Length; k++)
            {
                values[k] = "";
                foreach (var tag in tags)
                {
                    if (string.Equals(tag.Key, series.LabelKeys[k], StringComparison.Ordinal))
                    {
                        values[k] = tag.Value?.ToString() ?? "";
                        break;
                    }
                }
            }

            series.Record(values, value);
        }
#pragma warning disable CA1031 // A failing export must never fail the measured operation.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static string[] KeysOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var keys = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            keys[i] = tags[i].Key;
        }

        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }

    private static PrometheusSeries Create(Instrument instrument, IMetricFactory factory, string[] keys)
    {
        var name = PrometheusName(instrument);
        var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
        var labels = keys.Select(Sanitize).ToArray();
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (IsCounter(instrument))
        {
            var counter = factory.CreateCounter(name, help, labels);
            return generic == typeof(ObservableCounter<>)
                ? new PrometheusSeries(keys, (v, x) => counter.WithLabels(v).IncTo(x))
                : new PrometheusSeries(keys, (v, x) => counter.WithLabels(v).Inc(x));
        }

        if (generic == typeof(Histogram<>))
        {
            var histogram = factory.CreateHistogram(name, help, labels, new HistogramConfiguration { Buckets = BucketsOf(instrument) });
            return new PrometheusSeries(keys, (v, x) => histogram.WithLabels(v).Observe(x));
        }

        var gauge = factory.CreateGauge(name, help, labels);
        return generic == typeof(UpDownCounter<>)
            ? new PrometheusSeries(keys, (v, x) => gauge.WithLabels(v).Inc(x))
            : new PrometheusSeries(keys, (v, x) => gauge.WithLabels(v).Set(x), v => gauge.RemoveLabelled(v));
    }

    private static bool IsCounter(Instrument instrument)
    {
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>);
    }

    private static double[] BucketsOf(Instrument instrument)
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> d => d.Advice?.HistogramBucketBoundaries,
            Histogram<long> l => l.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            _ => null,
        };
        if (advised is { Count: > 0 })
        {
            return [.. advised];
        }

        return instrument.Unit == "s" ? SecondsBuckets : Histogram.ExponentialBuckets(1, 2, 20);
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_' || chars[i] == ':'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
