using System.Diagnostics;
using ContextLite.Clustering;
using ContextLite.Selection;
using ContextLite.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ContextLite.Search;

/// <summary>
/// The query path (DESIGN §4): lexical prefilter, confidence routing, vector stage (exact or IVF), fusion,
/// and budgeted selection. Host-free: the node calls it per request with a workspace's store.
/// </summary>
public sealed partial class ContextEngine
{
    private readonly WorkspaceVectors _vectors;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embedder;
    private readonly string? _embedderModel;
    private readonly SearchOptions _search;
    private readonly ClusteringOptions _clustering;
    private readonly SelectionOptions _selection;
    private readonly ActivitySource? _activities;

    /// <summary>Creates the engine.</summary>
    /// <param name="vectors">The per-workspace vector indexes.</param>
    /// <param name="embedder">Embeds query text; null when the node has no embedder (queries may bring vectors).</param>
    /// <param name="search">Retrieval options.</param>
    /// <param name="clustering">IVF options.</param>
    /// <param name="selection">Selection options.</param>
    /// <param name="activities">
    /// The host's source for trace spans of the query stages (<c>retrieve</c>, <c>lexical</c>, <c>embed</c>,
    /// <c>vector</c>, <c>fusion</c>, <c>assemble</c>, <c>selection</c>); null records none.
    /// </param>
    public ContextEngine(
        WorkspaceVectors vectors,
        IEmbeddingGenerator<string, Embedding<float>>? embedder,
        IOptions<SearchOptions> search,
        IOptions<ClusteringOptions> clustering,
        IOptions<SelectionOptions> selection,
        ActivitySource? activities = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(clustering);
        ArgumentNullException.ThrowIfNull(selection);
        _vectors = vectors;
        _embedder = embedder;
        _embedderModel = embedder?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        _search = search.Value;
        _clustering = clustering.Value;
        _selection = selection.Value;
        _activities = activities;
    }

    /// <summary>The model id the node embeds with, or null.</summary>
    public string? EmbedderModel => _embedderModel;

    private async Task<(float[]? Vector, string? Note)> ResolveQueryVectorAsync(
        WorkspaceStore store, VectorIndex? vectors, string query, float[]? given, RetrievalMode mode, CancellationToken cancellationToken)
    {
        if (mode == RetrievalMode.Lexical)
        {
            return (null, null);
        }

        var model = store.EmbeddingModel;
        if (given is not null)
        {
            if (model is { } m && m.Dimension != given.Length)
            {
                throw new QueryRejectedException(
                    $"'query_embedding' has {given.Length} numbers; this workspace's vectors ('{m.Model}') have {m.Dimension}.", conflict: true);
            }

            return vectors is null ? (null, "The workspace has no vectors yet; 'query_embedding' was not used.") : (given, null);
        }

        if (vectors is null || model is null)
        {
            return (null, "The workspace has no vectors yet (embedding may be in progress); lexical results only.");
        }

        if (_embedder is null)
        {
            return (null, "This node has no embedder configured; send 'query_embedding' to use the vectors.");
        }

        if (!string.Equals(model.Value.Model, _embedderModel, StringComparison.Ordinal))
        {
            return (null, $"The workspace's vectors are from '{model.Value.Model}' but this node embeds with '{_embedderModel}'; send 'query_embedding'.");
        }

        var embeddings = await _embedder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false);
        return (embeddings[0].Vector.ToArray(), null);
    }

    private Activity? StartSpan(string name, Storage.WorkspaceStore store) =>
        _activities?.StartActivity(name)?.SetTag("contextlite.workspace", store.Id.Value);

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
