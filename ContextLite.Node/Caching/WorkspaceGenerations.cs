using System.Runtime.CompilerServices;
using ContextLite.Search;
using ContextLite.Storage;

namespace ContextLite.Node.Caching;

/// <summary>
/// A per-workspace generation that moves on every committed change of the workspace, including the background
/// embedding writes that change answers without bumping the workspace version.
/// </summary>
/// <remarks>
/// Generations are drawn from one process-wide counter, so a workspace that is deleted and created again (a new
/// store whose version starts over) never reuses a generation of its earlier life. They mean nothing to another
/// process, which is why cache keys also carry <see cref="Epoch"/>.
/// <para>
/// The handler is added to the store's own <see cref="WorkspaceStore.Changed"/> after the in-memory vector index
/// has attached its handler (handlers run in the order they were added), so the generation moves only once the
/// new vectors are searchable: a query that sees the new generation also sees the new vectors, and an answer
/// computed from the old vectors can only be stored under the old generation.
/// </para>
/// </remarks>
internal sealed class WorkspaceGenerations(WorkspaceVectors vectors)
{
    private readonly ConditionalWeakTable<WorkspaceStore, Generation> _generations = [];
    private long _last;

    /// <summary>Identifies this process's generations in keys shared through the second cache level.</summary>
    public string Epoch { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The workspace's current generation.</summary>
    public long Current(WorkspaceStore store)
    {
        if (_generations.TryGetValue(store, out var generation))
        {
            return generation.Value;
        }

        // Attach the vector index's handler first (see remarks); the engine loads the index for the query anyway.
        vectors.Get(store);
        return _generations.GetValue(store, Track).Value;
    }

    private Generation Track(WorkspaceStore store)
    {
        var generation = new Generation(Next());
        store.Changed += _ => Volatile.Write(ref generation.Value, Next());
        return generation;
    }

    private long Next() => Interlocked.Increment(ref _last);

    private sealed class Generation(long value)
    {
        public long Value = value;
    }
}
