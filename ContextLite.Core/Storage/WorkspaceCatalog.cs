using System.Collections.Concurrent;
using ContextLite.Text;
using ContextLite.Workspaces;
using Microsoft.Extensions.Options;

namespace ContextLite.Storage;

/// <summary>
/// The workspaces of one node: one SQLite file each, <c>{data_dir}/{id}.db</c>, opened on first use and
/// kept open. Listing is a directory scan, so a workspace exists exactly when its file does.
/// </summary>
public sealed class WorkspaceCatalog : IDisposable
{
    private const string Extension = ".db";

    private readonly ConcurrentDictionary<string, WorkspaceStore> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastAccess = new(StringComparer.Ordinal);
    private readonly Lock _openLock = new();

    // Workspaces whose files are being deleted: until the files are gone they neither exist for readers nor
    // open for writers, else a background reader (embedding worker, gauges) could open a fresh store over the
    // doomed files and leave it cached once they are deleted.
    private readonly ConcurrentDictionary<string, byte> _deleting = new(StringComparer.Ordinal);
    private readonly StorageOptions _options;
    private readonly Chunker _chunker;
    private readonly TimeProvider _time;

    /// <summary>Creates the catalog over the configured data directory (created if missing).</summary>
    public WorkspaceCatalog(IOptions<StorageOptions> storage, IOptions<ChunkingOptions> chunking, ITokenCounter counter, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(chunking);
        _options = storage.Value;
        _time = time;
        _chunker = new Chunker(counter, chunking.Value.MaxTokens);
        DataDirectory = Path.GetFullPath(_options.DataDirectory);
        Directory.CreateDirectory(DataDirectory);
    }

    /// <summary>Raised after any workspace's committed write changed chunks or vectors.</summary>
    public event Action<WorkspaceStore, WorkspaceChange>? Changed;

    /// <summary>The absolute data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The ids of every workspace on this node, sorted.</summary>
    public IReadOnlyList<WorkspaceId> List()
    {
        var ids = new List<WorkspaceId>();
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "*" + Extension))
        {
            if (WorkspaceId.TryCreate(Path.GetFileNameWithoutExtension(file), out var id, out _)
                && id.Value == Path.GetFileNameWithoutExtension(file))
            {
                ids.Add(id);
            }
        }

        ids.Sort((a, b) => string.CompareOrdinal(a.Value, b.Value));
        return ids;
    }

    /// <summary>True when the workspace has a database on this node.</summary>
    public bool Exists(WorkspaceId id) => !_deleting.ContainsKey(id.Value) && (_open.ContainsKey(id.Value) || File.Exists(FileOf(id)));

    /// <summary>The workspace's store, or null when it does not exist (reads never create a workspace).</summary>
    public WorkspaceStore? TryOpen(WorkspaceId id) => Exists(id) ? Open(id) : null;

    /// <summary>
    /// The stores this process has open (every workspace used since start), without touching the disk: what
    /// metrics report per workspace, so a scrape never opens every database of the node.
    /// </summary>
    public IReadOnlyList<WorkspaceStore> OpenStores => [.. _open.Values];

    /// <summary>The workspace's store, creating the workspace when it is new.</summary>
    public WorkspaceStore OpenOrCreate(WorkspaceId id) => Open(id);

    /// <summary>Records that the workspace was used now (reported as <c>last_access</c>).</summary>
    public void Touch(WorkspaceId id) => _lastAccess[id.Value] = _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>When the workspace was last used through this process, else when its file last changed.</summary>
    public DateTimeOffset? LastAccess(WorkspaceId id)
    {
        if (_lastAccess.TryGetValue(id.Value, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        var file = new FileInfo(FileOf(id));
        return file.Exists ? new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) : null;
    }

    /// <summary>Deletes the workspace and all its data; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(WorkspaceId id, CancellationToken cancellationToken = default)
    {
        WorkspaceStore? store;
        lock (_openLock)
        {
            if (!Exists(id))
            {
                return false;
            }

            store = Open(id);
            _deleting[id.Value] = 0;
            _open.TryRemove(id.Value, out _);
            _lastAccess.TryRemove(id.Value, out _);
        }

        try
        {
            await store.DeleteFilesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _deleting.TryRemove(id.Value, out _);
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var store in _open.Values)
        {
            store.Dispose();
        }

        _open.Clear();
    }

    private WorkspaceStore Open(WorkspaceId id)
    {
        if (_open.TryGetValue(id.Value, out var store))
        {
            return store;
        }

        lock (_openLock)
        {
            if (_open.TryGetValue(id.Value, out store))
            {
                return store;
            }

            if (_deleting.ContainsKey(id.Value))
            {
                throw new WorkspaceDeletedException(id);
            }

            store = new WorkspaceStore(id, FileOf(id), _options, _chunker, _time);
            store.Initialize();
            var opened = store;
            store.Changed += change => Changed?.Invoke(opened, change);
            _open[id.Value] = store;
            return store;
        }
    }

    private string FileOf(WorkspaceId id) => Path.Combine(DataDirectory, id.Value + Extension);
}
