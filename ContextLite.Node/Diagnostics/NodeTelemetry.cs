using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContextLite.Node.Diagnostics;

/// <summary>The node's one <see cref="Meter"/> and <see cref="ActivitySource"/>.</summary>
internal sealed class NodeTelemetry : IDisposable
{
    public const string MeterName = "ContextLite.Node";

    public static readonly ActivitySource ActivitySource = new(MeterName);

    private readonly Meter _meter;

    public NodeTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        DocumentsWritten = _meter.CreateCounter<long>("contextlite.documents.written", "{document}", "Documents added or updated.");
        WriteErrors = _meter.CreateCounter<long>("contextlite.documents.rejected", "{document}", "Documents rejected on write.");
    }

    public Counter<long> DocumentsWritten { get; }

    public Counter<long> WriteErrors { get; }

    public void Dispose() => _meter.Dispose();
}
