using System.Diagnostics.Metrics;
using ContextLite.Embeddings;
using ContextLite.Node.Caching;
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
/// database); each one's counts (two <c>COUNT(*)</c> queries) and bytes on disk are read again at most once per
/// <see cref="RefreshInterval"/>, and memory comes from the in-memory indexes. A workspace appears as soon as it
/// is opened and disappears as soon as it is deleted. Memory is what <c>max_memory_mb</c> bounds: the vector
/// index plus the workspace's share of the in-process assemble cache, as in <c>/health</c>. Workspaces past the tag cap are summed under
/// <c>other</c>, because a gauge has one value per series.
/// </remarks>
internal sealed class WorkspaceGauges(
    WorkspaceCatalog catalog,
    WorkspaceVectors vectors,
    WorkspaceCacheLedger cacheLedger,
    EmbeddingWorker embeddings,
    WorkspaceTags tags,
    TimeProvider time)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, CachedCounts> _counts = new(StringComparer.Ordinal);

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
            var memory = vectors.MemoryBytes();
            var samples = new Dictionary<string, WorkspaceSample>(StringComparer.Ordinal);
            var open = new HashSet<string>(StringComparer.Ordinal);
            foreach (var store in catalog.OpenStores)
            {
                var id = store.Id.Value;
                // A workspace deleted and created again is a new store: its old counts do not carry over.
                if (!_counts.TryGetValue(id, out var cached) || !ReferenceEquals(cached.Store, store)
                    || time.GetElapsedTime(cached.ReadAt, now) >= RefreshInterval)
                {
                    try
                    {
                        var (documents, chunks) = store.CountDocumentsAndChunks();
                        cached = new CachedCounts(store, documents, chunks, store.BytesOnDisk, now);
                        _counts[id] = cached;
                    }
#pragma warning disable CA1031 // A workspace deleted or closed under the scrape is simply not reported.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                        continue;
                    }
                }

                open.Add(id);
                var tag = tags.For(id);
                samples.TryGetValue(tag, out var sum);
                samples[tag] = new WorkspaceSample(
                    sum.Documents + cached.Documents,
                    sum.Chunks + cached.Chunks,
                    sum.StorageBytes + cached.StorageBytes,
                    sum.MemoryBytes + memory.GetValueOrDefault(id) + cacheLedger.Bytes(id));
            }

            foreach (var gone in _counts.Keys.Where(k => !open.Contains(k)).ToList())
            {
                _counts.Remove(gone);
            }

            return samples;
        }
    }

    private sealed record CachedCounts(WorkspaceStore Store, long Documents, long Chunks, long StorageBytes, long ReadAt);

    private readonly record struct WorkspaceSample(long Documents, long Chunks, long StorageBytes, long MemoryBytes);
}
