using System.Diagnostics.Metrics;
using ContextLite.Embeddings;
using ContextLite.Search;
using ContextLite.ServiceDefaults.Diagnostics;
using ContextLite.Storage;

namespace ContextLite.Node.Diagnostics;

/// <summary>
/// The values behind the node's per-workspace gauges (documents, chunks, bytes on disk, vector memory) and the
/// embedding queue length, read when a scrape or an OTLP export observes them.
/// </summary>
/// <remarks>
/// Cheap by construction: only workspaces this process already has open are reported (a scrape never opens a
/// database), their counts are two <c>COUNT(*)</c> queries at most once per <see cref="RefreshInterval"/>,
/// and memory comes from the in-memory indexes. Workspaces past the tag cap are summed under <c>other</c>,
/// because a gauge has one value per series.
/// </remarks>
internal sealed class WorkspaceGauges(
    WorkspaceCatalog catalog, WorkspaceVectors vectors, EmbeddingWorker embeddings, WorkspaceTags tags, TimeProvider time)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private Dictionary<string, WorkspaceSample> _samples = new(StringComparer.Ordinal);
    private long _sampledAt = long.MinValue;

    public int EmbeddingQueueLength => embeddings.QueueLength;

    public IEnumerable<Measurement<long>> Documents() => Measure(s => s.Documents);

    public IEnumerable<Measurement<long>> Chunks() => Measure(s => s.Chunks);

    public IEnumerable<Measurement<long>> StorageBytes() => Measure(s => s.StorageBytes);

    public IEnumerable<Measurement<long>> MemoryBytes() => Measure(s => s.MemoryBytes);

    private List<Measurement<long>> Measure(Func<WorkspaceSample, long> value)
    {
        var samples = Current();
        var measurements = new List<Measurement<long>>(samples.Count);
        foreach (var (tag, sample) in samples)
        {
            measurements.Add(new Measurement<long>(value(sample), new KeyValuePair<string, object?>(NodeTelemetry.Workspace, tag)));
        }

        return measurements;
    }

    private Dictionary<string, WorkspaceSample> Current()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_sampledAt != long.MinValue && time.GetElapsedTime(_sampledAt, now) < RefreshInterval)
            {
                return _samples;
            }

            var memory = vectors.MemoryBytes();
            var samples = new Dictionary<string, WorkspaceSample>(StringComparer.Ordinal);
            foreach (var store in catalog.OpenStores)
            {
                (long Documents, long Chunks) counts;
                try
                {
                    counts = store.CountDocumentsAndChunks();
                }
#pragma warning disable CA1031 // A workspace deleted or closed under the scrape is simply not reported.
                catch (Exception)
#pragma warning restore CA1031
                {
                    continue;
                }

                var id = store.Id.Value;
                var tag = tags.For(id);
                samples.TryGetValue(tag, out var sum);
                samples[tag] = new WorkspaceSample(
                    sum.Documents + counts.Documents,
                    sum.Chunks + counts.Chunks,
                    sum.StorageBytes + store.BytesOnDisk,
                    sum.MemoryBytes + memory.GetValueOrDefault(id));
            }

            _samples = samples;
            _sampledAt = now;
            return samples;
        }
    }

    private readonly record struct WorkspaceSample(long Documents, long Chunks, long StorageBytes, long MemoryBytes);
}
