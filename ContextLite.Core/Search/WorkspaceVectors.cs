using System.Collections.Concurrent;
using ContextLite.Storage;
using ContextLite.Workspaces;

namespace ContextLite.Search;

/// <summary>
/// The in-memory <see cref="VectorIndex"/> of each workspace: loaded from SQLite on first use, then kept in
/// step with writes through <see cref="WorkspaceStore.Changed"/>.
/// </summary>
/// <remarks>
/// Changes that arrive while an index is loading are buffered and replayed after the load, so a vector
/// removed after the load's read snapshot cannot reappear from that older snapshot.
/// </remarks>
public sealed class WorkspaceVectors
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    /// <summary>The workspace's vector index, or null when it has no vectors yet.</summary>
    public VectorIndex? Get(WorkspaceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entry = _entries.GetOrAdd(store.Id.Value, _ => new Entry());
        lock (entry)
        {
            if (entry.Store != store)
            {
                Attach(entry, store);
            }

            if (entry.Index is null && store.EmbeddingModel is { } model)
            {
                Load(entry, store, model.Dimension);
            }

            return entry.Index;
        }
    }

    /// <summary>The estimated memory (<see cref="VectorIndex.MemoryBytes"/>) of each workspace whose vectors are loaded.</summary>
    public IReadOnlyDictionary<string, long> MemoryBytes()
    {
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (workspace, entry) in _entries)
        {
            if (entry.Index is { } index)
            {
                bytes[workspace] = index.MemoryBytes;
            }
        }

        return bytes;
    }

    /// <summary>Forgets a workspace (after it was deleted).</summary>
    public void Forget(WorkspaceId id) => _entries.TryRemove(id.Value, out _);

    private void Attach(Entry entry, WorkspaceStore store)
    {
        entry.Store = store;
        entry.Index = null;
        store.Changed += change =>
        {
            lock (entry)
            {
                if (entry.Store != store)
                {
                    return;
                }

                if (entry.Loading)
                {
                    entry.Pending.Add(change);
                }
                else if (entry.Index is not null)
                {
                    Apply(entry.Index, change);
                }
                else if (change.Embedded.Count > 0 && store.EmbeddingModel is { } model)
                {
                    Load(entry, store, model.Dimension);
                }
            }
        };
    }

    private static void Load(Entry entry, WorkspaceStore store, int dimension)
    {
        entry.Loading = true;
        try
        {
            var index = new VectorIndex(dimension);
            var batch = new List<(long, float[])>(4096);
            store.ReadEmbeddings((id, vector) =>
            {
                if (vector.Length == dimension)
                {
                    batch.Add((id, vector));
                }

                if (batch.Count == 4096)
                {
                    index.UpsertMany(batch);
                    batch.Clear();
                }
            });
            index.UpsertMany(batch);
            if (store.LoadClusters(dimension) is { } clusters)
            {
                index.AttachClusters(clusters.Centroids, clusters.K, clusters.Assignments);
            }

            foreach (var change in entry.Pending)
            {
                Apply(index, change);
            }

            entry.Index = index;
        }
        finally
        {
            entry.Pending.Clear();
            entry.Loading = false;
        }
    }

    private static void Apply(VectorIndex index, WorkspaceChange change)
    {
        if (change.RemovedChunks.Count > 0)
        {
            index.RemoveMany(change.RemovedChunks);
        }

        if (change.Embedded.Count > 0)
        {
            var items = new List<(long, float[])>(change.Embedded.Count);
            foreach (var (id, vector) in change.Embedded)
            {
                if (vector.Length == index.Dimension)
                {
                    items.Add((id, vector));
                }
            }

            index.UpsertMany(items);
        }
    }

    private sealed class Entry
    {
        public WorkspaceStore? Store { get; set; }

        public VectorIndex? Index { get; set; }

        public bool Loading { get; set; }

        public List<WorkspaceChange> Pending { get; } = [];
    }
}
