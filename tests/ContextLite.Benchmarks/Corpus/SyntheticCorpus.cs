using System.Globalization;
using System.Text;
using ContextLite.Storage;

namespace ContextLite.Benchmarks.Corpus;

/// <summary>
/// A reproducible corpus of code-like and markdown-like documents whose terms follow a Zipf distribution
/// and whose sizes are log-uniform between <see cref="MinBytes"/> and <see cref="MaxBytes"/>.
/// </summary>
/// <remarks>
/// Log-uniform sizes give as many 200-2,000 byte files as 2-20 KB ones, roughly the mix of a source tree
/// (many small files, a tail of large ones). The text is ASCII, so characters and UTF-8 bytes agree.
/// </remarks>
internal static class SyntheticCorpus
{
    public const int MinBytes = 200;
    public const int MaxBytes = 20_000;
    public const int VocabularySize = 20_000;
    public const double ZipfExponent = 1.07;

    /// <summary>Generates <paramref name="count"/> documents with distinct paths; the same seed gives the same corpus.</summary>
    public static IReadOnlyList<DocumentInput> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var vocabulary = Vocabulary.Create(random, VocabularySize);
        var terms = new TermSource(random, vocabulary, new ZipfSampler(VocabularySize, ZipfExponent));
        var documents = new List<DocumentInput>(count);
        for (var i = 0; i < count; i++)
        {
            var target = (int)Math.Round(MinBytes * Math.Pow((double)MaxBytes / MinBytes, random.NextDouble()));
            var markdown = random.Next(2) == 0;
            var content = markdown ? Markdown(terms, target) : Code(terms, target);
            var folder = terms.Word();
            var path = markdown
                ? string.Create(CultureInfo.InvariantCulture, $"docs/{folder}/{terms.Word()}-{i}.md")
                : string.Create(CultureInfo.InvariantCulture, $"src/{terms.Pascal()}/{terms.Pascal()}{i}.cs");
            documents.Add(new DocumentInput(null, path, content));
        }

        return documents;
    }

    private static string Markdown(TermSource terms, int target)
    {
        var text = new StringBuilder(target + 256);
        text.Append("# ").Append(terms.Sentence(3, 7, period: false)).Append("\n\n");
        while (text.Length < target)
        {
            switch (terms.Random.Next(8))
            {
                case 0:
                    text.Append("## ").Append(terms.Sentence(2, 6, period: false)).Append("\n\n");
                    break;
                case 1:
                    for (var k = terms.Random.Next(2, 6); k > 0; k--)
                    {
                        text.Append("- ").Append(terms.Sentence(3, 12, period: false)).Append('\n');
                    }

                    text.Append('\n');
                    break;
                case 2:
                    text.Append("```csharp\n");
                    AppendMethod(terms, text, indent: string.Empty);
                    text.Append("```\n\n");
                    break;
                default:
                    for (var k = terms.Random.Next(2, 6); k > 0; k--)
                    {
                        text.Append(terms.Sentence(6, 24, period: true));
                        if (terms.Random.Next(6) == 0)
                        {
                            var word = terms.Word();
                            text.Append(" See [").Append(word).Append("](https://example.com/").Append(word).Append(").");
                        }

                        text.Append(k > 1 ? ' ' : '\n');
                    }

                    text.Append('\n');
                    break;
            }
        }

        return Fit(text, target);
    }

    private static string Code(TermSource terms, int target)
    {
        var text = new StringBuilder(target + 256);
        text.Append("using System;\nusing ").Append(terms.Pascal()).Append('.').Append(terms.Pascal()).Append(";\n\n");
        text.Append("namespace ").Append(terms.Pascal()).Append('.').Append(terms.Pascal()).Append(";\n\n");
        text.Append("/// <summary>").Append(terms.Sentence(5, 14, period: true)).Append("</summary>\n");
        text.Append("public sealed class ").Append(terms.Pascal()).Append(terms.Pascal()).Append("\n{\n");
        while (text.Length < target)
        {
            if (terms.Random.Next(4) == 0)
            {
                text.Append("    private readonly ").Append(terms.Pascal()).Append(" _").Append(terms.Word()).Append(";\n\n");
            }

            AppendMethod(terms, text, indent: "    ");
            text.Append('\n');
        }

        text.Append("}\n");
        return Fit(text, target);
    }

    private static void AppendMethod(TermSource terms, StringBuilder text, string indent)
    {
        text.Append(indent).Append("// ").Append(terms.Sentence(4, 16, period: true)).Append('\n');
        text.Append(indent).Append("public ").Append(terms.Pascal()).Append(' ').Append(terms.Pascal())
            .Append('(').Append(terms.Pascal()).Append(' ').Append(terms.Word()).Append(", int ").Append(terms.Word()).Append(")\n");
        text.Append(indent).Append("{\n");
        for (var k = terms.Random.Next(2, 9); k > 0; k--)
        {
            var a = terms.Word();
            var b = terms.Word();
            text.Append(indent).Append("    ");
            switch (terms.Random.Next(4))
            {
                case 0:
                    text.Append("var ").Append(a).Append(" = ").Append(b).Append('.').Append(terms.Pascal()).Append('(')
                        .Append(terms.Word()).Append(", \"").Append(terms.Word()).Append("\");\n");
                    break;
                case 1:
                    text.Append("if (").Append(a).Append(" > ").Append(terms.Random.Next(100)).Append(") { return ")
                        .Append(b).Append("; }\n");
                    break;
                case 2:
                    text.Append("foreach (var ").Append(a).Append(" in ").Append(b).Append(") { ").Append(terms.Word())
                        .Append(" += ").Append(a).Append(".Count; }\n");
                    break;
                default:
                    text.Append(a).Append('.').Append(terms.Pascal()).Append(" = await ").Append(b).Append('.')
                        .Append(terms.Pascal()).Append("Async(cancellationToken);\n");
                    break;
            }
        }

        text.Append(indent).Append("    return ").Append(terms.Word()).Append(";\n");
        text.Append(indent).Append("}\n");
    }

    // Cut at the last line end within the target so that sizes stay in range and files end in a newline.
    private static string Fit(StringBuilder text, int target)
    {
        if (text.Length <= target)
        {
            return text.ToString();
        }

        var content = text.ToString(0, target);
        var cut = content.LastIndexOf('\n');
        return cut >= MinBytes - 1 ? content[..(cut + 1)] : content;
    }
}
