namespace ContextLite.Embeddings;

/// <summary>How <see cref="MiniLmEmbeddingGenerator"/> runs the model.</summary>
public sealed class MiniLmEmbeddingOptions
{
    /// <summary>The longest input the model was trained on, and the default truncation.</summary>
    public const int TrainedMaxTokens = 256;

    /// <summary>The model's position embeddings end here.</summary>
    public const int ModelMaxTokens = 512;

    /// <summary>
    /// Lanes of single-threaded inference, created on demand: the number of texts embedded in parallel.
    /// Defaults to the processor count.
    /// </summary>
    public int SessionPoolSize { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Run every lane on one shared ONNX Runtime session (concurrent runs on a session are safe) instead of one
    /// session per lane. Each session holds its own copy of the model: measured here, 1/2/4 lanes took ≈ 380/600/990 MB
    /// resident with a session each and ≈ 280 MB flat with one shared session, while 2 lanes embedded the same
    /// ≈ 250–300 short texts/s either way (2 cores; contention on more cores is unmeasured). Default false: with
    /// a shared session, an assemble racing background embedding intermittently failed with a 500 in the
    /// end-to-end tests (not yet understood), and one session per lane never did.
    /// </summary>
    public bool ShareSession { get; set; }

    /// <summary>Model tokens per text, including [CLS] and [SEP]; longer texts are truncated. Default 256, at most 512.</summary>
    public int MaxTokens { get; set; } = TrainedMaxTokens;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SessionPoolSize, nameof(SessionPoolSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 2, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTokens, ModelMaxTokens, nameof(MaxTokens));
    }
}
