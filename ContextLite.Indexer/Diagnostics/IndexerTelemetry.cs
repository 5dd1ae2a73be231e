using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContextLite.Indexer.Diagnostics;

/// <summary>The indexer's one <see cref="Meter"/>: rebuilds per workspace and how long they took.</summary>
internal sealed class IndexerTelemetry
{
    public const string MeterName = "ContextLite.Indexer";

    private readonly Counter<long> _rebuilds;
    private readonly Histogram<double> _duration;

    public IndexerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _rebuilds = meter.CreateCounter<long>("contextlite.index.rebuilds", "{rebuild}", "Cluster rebuilds, by workspace and outcome.");
        _duration = meter.CreateHistogram<double>("contextlite.index.rebuild.duration", "s", "Time of one rebuild: pull, k-means and push.");
    }

    public void Rebuilt(string workspace, string outcome, double seconds)
    {
        var tags = new TagList { { "workspace", workspace }, { "outcome", outcome } };
        _rebuilds.Add(1, tags);
        _duration.Record(seconds, tags);
    }
}
