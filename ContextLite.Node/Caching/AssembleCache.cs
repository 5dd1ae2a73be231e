using System.Globalization;
using System.Text.Json;
using ContextLite.Cluster;
using ContextLite.Node.Api;
using ContextLite.Search;
using ContextLite.Storage;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace ContextLite.Node.Caching;

/// <summary>
/// Assemble answers cached by (workspace, workspace version, clusters version, embeddings generation, request):
/// any committed write, embedding batch or cluster rebuild changes the key, so stale answers are never looked
/// up again and simply expire.
/// </summary>
/// <remarks>
/// The value is the serialized <see cref="AssembleResponse"/> as computed, timings included: a hit reports the
/// timings of the call that produced it and says so through <c>cache.status</c>. The caller supplies the node id
/// and the per-request limits after the look-up, since those belong to this call rather than to the answer.
/// <para>
/// The in-process level counts against the workspace's <c>max_memory_mb</c> together with its vector index
/// (<see cref="WorkspaceCacheLedger"/>): a workspace whose index already fills the budget caches in Redis only,
/// and one whose entries would overflow it evicts its oldest entries (from both levels: HybridCache removes a
/// key everywhere). Such answers report <c>cache.memory_limited</c>.
/// </para>
/// </remarks>
internal sealed class AssembleCache(
    HybridCache cache,
    WorkspaceGenerations generations,
    WorkspaceCacheLedger ledger,
    WorkspaceVectors vectors,
    IOptions<CacheOptions> options,
    IOptions<ClusterOptions> cluster)
{
    private readonly CacheOptions _options = options.Value;
    private readonly ClusterOptions _cluster = cluster.Value;
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.TtlSeconds);
    private readonly HybridCacheEntryOptions _entry = new()
    {
        Expiration = TimeSpan.FromSeconds(options.Value.TtlSeconds),
        LocalCacheExpiration = TimeSpan.FromSeconds(options.Value.TtlSeconds),
    };

    private readonly HybridCacheEntryOptions _remoteOnly = new()
    {
        Expiration = TimeSpan.FromSeconds(options.Value.TtlSeconds),
        LocalCacheExpiration = TimeSpan.FromSeconds(options.Value.TtlSeconds),
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite,
    };

    /// <summary>The cached answer for <paramref name="request"/>, or the one <paramref name="assemble"/> computes now.</summary>
    public async Task<AssembleResponse> GetOrAssembleAsync(
        WorkspaceStore store, AssembleCacheRequest request, Func<CancellationToken, Task<AssembleResponse>> assemble, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return (await assemble(cancellationToken).ConfigureAwait(false)) with { Cache = CacheResponse.Bypassed };
        }

        // The generation is read before the versions: a change landing in between moves the generation too, so the
        // key can only under-state the state an answer was computed from, never over-state it.
        var generation = generations.Current(store);
        var (version, clustersVersion) = store.CurrentVersions();
        var keyVersion = string.Create(CultureInfo.InvariantCulture, $"{version}.{clustersVersion}.{generation}");
        var key = AssembleCacheKey.Create(generations.Epoch, store.Id.Value, keyVersion, request);

        // What the workspace may still hold in the first level: its budget less its index and its entries so far.
        var allowance = (_cluster.LimitsFor(store.Id.Value).MaxMemoryMb * 1024L * 1024L) - (vectors.Get(store)?.MemoryBytes ?? 0);
        var local = allowance - ledger.Bytes(store.Id.Value) > 0;

        var lookup = new Lookup(assemble);
        var payload = await cache.GetOrCreateAsync(key, lookup, static async (state, ct) =>
        {
            state.Computed = await state.Assemble(ct).ConfigureAwait(false);
            return JsonSerializer.SerializeToUtf8Bytes(state.Computed, AssembleCacheJson.Default.AssembleResponse);
        }, local ? _entry : _remoteOnly, cancellationToken: cancellationToken).ConfigureAwait(false);

        // A miss or a second-level hit has just been written to the first level: count it, and evict what no longer fits.
        var limited = !local;
        if (local && payload.Length <= _options.MaxEntryBytes)
        {
            var evict = ledger.Record(store.Id.Value, key, payload.Length, _ttl, allowance);
            foreach (var old in evict)
            {
                await cache.RemoveAsync(old, cancellationToken).ConfigureAwait(false);
            }

            limited = evict.Count > 0;
        }

        if (lookup.Computed is { } computed)
        {
            return computed with { Cache = new CacheResponse(CacheResponse.Miss, keyVersion, limited ? true : null) };
        }

        var stored = JsonSerializer.Deserialize(payload, AssembleCacheJson.Default.AssembleResponse)
            ?? throw new InvalidOperationException($"The cached answer under '{key}' is empty.");
        return stored with { Cache = new CacheResponse(CacheResponse.Hit, keyVersion, limited ? true : null) };
    }

    /// <summary>The factory's state; <see cref="Computed"/> is set only when this call ran the factory (a miss).</summary>
    private sealed class Lookup(Func<CancellationToken, Task<AssembleResponse>> assemble)
    {
        public Func<CancellationToken, Task<AssembleResponse>> Assemble { get; } = assemble;

        public AssembleResponse? Computed { get; set; }
    }
}
