using System.Buffers;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace ContextLite.Embeddings;

/// <summary>
/// A deterministic, model-free embedder by feature hashing: about a microsecond a text, no files, no network.
/// It captures shared words (and, optionally, shared word fragments), not meaning: use it for tests, for tiny
/// deployments and as a fallback, and a real model where quality matters.
/// </summary>
/// <remarks>
/// <para>
/// Text is split into maximal runs of letters and digits, lower-cased with the invariant culture. Each word (and,
/// with <c>characterTrigrams</c>, each character trigram of the word padded with begin/end markers) is hashed with
/// 64-bit FNV-1a over its UTF-16 code units followed by the MurmurHash3 finaliser, which is stable across
/// processes, machines and .NET versions (unlike <see cref="string.GetHashCode()"/>). System.IO.Hashing is not part
/// of the shared framework, so the hash is written here rather than taking a package for it.
/// </para>
/// <para>
/// Signed hashing (Weinberger et al., 2009): bits 32–63 pick the bucket, bit 1 the sign, so collisions cancel in
/// expectation instead of piling up. A feature occurring tf times adds ±(1 + ln tf) (trigrams at half weight), and
/// the vector is L2-normalised, so cosine similarity is a log-tf weighted overlap. A text with no word gives the
/// zero vector.
/// </para>
/// </remarks>
public sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name in the metadata.</summary>
    public const string ProviderName = "hashing";

    /// <summary>The default number of dimensions (that of all-MiniLM-L6-v2, so the two can share a store layout).</summary>
    public const int DefaultDimensions = 384;

    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Trigrams start from another offset so a trigram never shares a hash with the three-letter word it spells.</summary>
    private const ulong TrigramOffset = FnvOffset ^ 0x9E3779B97F4A7C15UL;

    private const char WordStart = '\u0002';
    private const char WordEnd = '\u0003';
    private const float TrigramWeight = 0.5f;

    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates the generator.</summary>
    /// <param name="dimensions">The vector length (≥ 1).</param>
    /// <param name="characterTrigrams">Also hash character trigrams of each word (tolerates inflection and typos; model id gets <c>-c3</c>).</param>
    public HashingEmbeddingGenerator(int dimensions = DefaultDimensions, bool characterTrigrams = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        CharacterTrigrams = characterTrigrams;
        ModelId = characterTrigrams ? $"hashing-{dimensions}-c3" : $"hashing-{dimensions}";
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, ModelId, dimensions);
    }

    /// <summary>The vector length.</summary>
    public int Dimensions { get; }

    /// <summary>Whether character trigrams are hashed too.</summary>
    public bool CharacterTrigrams { get; }

    /// <summary><c>hashing-{dimensions}</c>, with <c>-c3</c> when trigrams are on: vectors of different ids are not comparable.</summary>
    public string ModelId { get; }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } requested && requested != Dimensions)
        {
            throw new ArgumentException($"This generator produces {Dimensions} dimensions, not {requested}.", nameof(options));
        }

        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (string value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            embeddings.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId });
        }

        return Task.FromResult(embeddings);
    }

    /// <summary>The unit vector of <paramref name="text"/> (zeros when it has no word).</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[Dimensions];
        Embed(text, vector);
        return vector;
    }

    /// <summary>Writes the unit vector of <paramref name="text"/> into <paramref name="destination"/> (<see cref="Dimensions"/> floats).</summary>
    public void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"The destination must hold {Dimensions} floats.", nameof(destination));
        }

        destination.Clear();
        if (text.IsEmpty)
        {
            return;
        }

        // Words ≤ chars and trigrams ≤ chars, so 2·length + 1 features always fit.
        ulong[] features = ArrayPool<ulong>.Shared.Rent((2 * text.Length) + 1);
        try
        {
            int count = Extract(text, features, CharacterTrigrams);
            Span<ulong> sorted = features.AsSpan(0, count);
            sorted.Sort();
            for (int i = 0; i < sorted.Length;)
            {
                ulong feature = sorted[i];
                int run = 1;
                while (i + run < sorted.Length && sorted[i + run] == feature)
                {
                    run++;
                }

                float weight = (1f + MathF.Log(run)) * ((feature & 1UL) != 0 ? TrigramWeight : 1f);
                int bucket = (int)((uint)(feature >> 32) % (uint)Dimensions);
                destination[bucket] += (feature & 2UL) == 0 ? weight : -weight;
                i += run;
            }

            float norm = TensorPrimitives.Norm(destination);
            if (norm > 0)
            {
                TensorPrimitives.Divide(destination, norm, destination);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(features);
        }
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

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }

    /// <summary>Hashes every word (tag bit 0 clear) and trigram (tag bit 0 set) of <paramref name="text"/> into <paramref name="features"/>.</summary>
    private static int Extract(ReadOnlySpan<char> text, Span<ulong> features, bool trigrams)
    {
        int count = 0;
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !IsWordChar(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            ulong word = FnvOffset;
            char a = WordStart, b = WordStart;
            int seen = 1; // the start marker is in the trigram window
            for (; i < text.Length && IsWordChar(text[i]); i++)
            {
                char c = char.ToLowerInvariant(text[i]);
                word = Fnv(word, c);
                if (trigrams)
                {
                    if (seen >= 2)
                    {
                        features[count++] = Trigram(a, b, c);
                    }

                    (a, b) = (b, c);
                    seen++;
                }
            }

            features[count++] = Mix(word) & ~1UL;
            if (trigrams)
            {
                features[count++] = Trigram(a, b, WordEnd);
            }
        }

        return count;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || char.IsSurrogate(c);

    private static ulong Trigram(char a, char b, char c) => Mix(Fnv(Fnv(Fnv(TrigramOffset, a), b), c)) | 1UL;

    /// <summary>FNV-1a step over the two bytes of a UTF-16 code unit, low byte first.</summary>
    private static ulong Fnv(ulong hash, char c)
    {
        hash = (hash ^ (byte)c) * FnvPrime;
        return (hash ^ (byte)(c >> 8)) * FnvPrime;
    }

    /// <summary>MurmurHash3's 64-bit finaliser: spreads FNV's weak high bits over the whole word.</summary>
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }
}
