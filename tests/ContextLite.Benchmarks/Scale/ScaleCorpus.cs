using System.Numerics.Tensors;
using System.Text;
using ContextLite.Benchmarks.Corpus;

namespace ContextLite.Benchmarks.Scale;

/// <summary>
/// A reproducible corpus of any size for the scale runs: chunk <c>i</c> is one short document about one of
/// <see cref="Topics"/> topics, with a 384-d unit vector near its topic's centre and text whose words are
/// Zipf-distributed over a shared vocabulary plus the topic's own words (so lexical and vector search agree on
/// the topic, as they do on real text). Each vector mixes its topic's centre with a related topic's (weight
/// 0.5–1 on its own) before the noise: documents that straddle topics spread the points across the IVF cells'
/// borders, as real embeddings do, instead of tight blobs that one probe always finds whole. Queries are drawn the same way from a separate stream.
/// </summary>
/// <remarks>
/// Each chunk comes from its own <see cref="Random"/> seeded by (seed, index), so any batch can be generated
/// on its own, in any order, and a 1M corpus never needs to be in memory at once.
/// </remarks>
internal sealed class ScaleCorpus
{
    public const int Topics = 1024;
    public const int VocabularySize = 64_000;
    public const double ZipfExponent = 1.07;
    public const float Noise = 0.03f;

    /// <summary>Words reserved per topic, taken from the vocabulary's tail (rank ≥ 1,000).</summary>
    private const int TopicWords = 60;

    /// <summary>The second topic of a chunk is one of the next few after its own: topics form a chain of related themes.</summary>
    private const int RelatedTopics = 4;

    private const int QueryStream = 0x5EED;

    private readonly float[] _centres;
    private readonly Vocabulary _vocabulary;
    private readonly ZipfSampler _global;
    private readonly ZipfSampler _topical;

    public ScaleCorpus(int seed, int dimension = 384)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Seed = seed;
        Dimension = dimension;
        var random = new Random(seed);
        _vocabulary = Vocabulary.Create(random, VocabularySize);
        _global = new ZipfSampler(1_000, ZipfExponent);
        _topical = new ZipfSampler(TopicWords, ZipfExponent);
        _centres = new float[Topics * dimension];
        for (var c = 0; c < Topics; c++)
        {
            var centre = _centres.AsSpan(c * dimension, dimension);
            Gaussian(random, centre, 1f);
            TensorPrimitives.Divide(centre, TensorPrimitives.Norm(centre), centre);
        }
    }

    public int Seed { get; }

    public int Dimension { get; }

    /// <summary>Chunk <paramref name="index"/>: its topic, text (one chunk's worth) and unit vector.</summary>
    public ScaleItem Chunk(long index) => Item(Stream(Seed, index), minWords: 30, maxWords: 90);

    /// <summary>Query <paramref name="index"/>: a few topical words and a vector near the topic's centre.</summary>
    public ScaleItem Query(int index) => Item(Stream(Seed ^ QueryStream, index), minWords: 3, maxWords: 6);

    private ScaleItem Item(Random random, int minWords, int maxWords)
    {
        var topic = random.Next(Topics);
        var second = (topic + 1 + random.Next(RelatedTopics)) % Topics;
        var weight = 0.5f + (0.5f * random.NextSingle());
        var vector = new float[Dimension];
        Gaussian(random, vector, Noise);
        TensorPrimitives.MultiplyAdd(_centres.AsSpan(topic * Dimension, Dimension), weight, vector, vector);
        TensorPrimitives.MultiplyAdd(_centres.AsSpan(second * Dimension, Dimension), 1 - weight, vector, vector);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);

        var text = new StringBuilder();
        var words = random.Next(minWords, maxWords + 1);
        for (var w = 0; w < words; w++)
        {
            // Two words in five are the topic's own, the rest common words: a realistic mix of rare and frequent terms.
            var rank = random.Next(5) < 2 ? 1_000 + (topic * TopicWords) + _topical.Next(random) : _global.Next(random);
            text.Append(w == 0 ? string.Empty : " ").Append(_vocabulary.Words[rank]);
        }

        return new ScaleItem(topic, text.Append('.').ToString(), vector);
    }

    /// <summary>A generator for (seed, index) through SplitMix64: stable across processes, unlike <see cref="HashCode"/>.</summary>
    private static Random Stream(int seed, long index)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) + (ulong)index + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return new Random((int)(z ^ (z >> 31)));
        }
    }

    private static void Gaussian(Random random, Span<float> row, float scale)
    {
        for (var j = 0; j < row.Length; j += 2)
        {
            // Box–Muller, both outputs used.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var r = Math.Sqrt(-2.0 * Math.Log(u1)) * scale;
            row[j] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (j + 1 < row.Length)
            {
                row[j + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
            }
        }
    }
}

/// <summary>One generated chunk or query: its topic, text and unit vector.</summary>
internal sealed record ScaleItem(int Topic, string Text, float[] Vector);
