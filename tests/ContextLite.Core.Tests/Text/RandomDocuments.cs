using System.Text;

namespace ContextLite.Core.Tests.Text;

/// <summary>
/// Seeded generators of awkward documents: prose and code paragraphs, runs of blank (and white-space-only)
/// lines, very long lines, CRLF, emoji and other surrogate pairs, CJK, and sometimes no final newline.
/// </summary>
internal static class RandomDocuments
{
    private static readonly string[] s_words =
    [
        "the", "of", "and", "workspace", "chunk", "token", "index", "return", "var", "const", "async", "await",
        "public", "sealed", "class", "string", "int", "null", "if", "else", "for", "while", "document", "path",
        "lexical", "search", "SQLite", "FTS5", "x", "y", "i", "j", "=", "==", "=>", "+", "-", "*", "(", ")", "{", "}",
        "[", "]", ";", ",", ".", ":", "'s", "don't", "naïve", "café", "résumé", "Ünïcödé", "12345", "3.14159", "0xFF",
        "https://example.com/a/b?c=d", "snake_case_name", "camelCaseName", "ALL_CAPS", "\t", "  ",
    ];

    private static readonly string[] s_exotic =
    [
        "😀", "🎉", "👍🏽", "👨‍👩‍👧‍👦", "🇯🇵", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𠜎𠜱", "日本語のテキストです。", "中文文本，测试分块。", "한국어 문장",
        "Ελληνικά", "русский текст", "עברית", "العربية", "✓", "—", "…", "\u00a0", "é", "e\u0301",
    ];

    /// <summary>A document of a few to a few hundred lines.</summary>
    public static string Document(Random random)
    {
        var text = new StringBuilder();
        var crlf = random.Next(4) == 0;
        var blocks = random.Next(1, 25);
        for (var b = 0; b < blocks; b++)
        {
            switch (random.Next(10))
            {
                case 0:
                    // A run of blank or white-space-only lines.
                    for (var k = random.Next(1, 5); k > 0; k--)
                    {
                        text.Append(random.Next(3) == 0 ? "   \t" : string.Empty).Append(NewLine(random, crlf));
                    }

                    break;
                case 1:
                    // A very long line (minified code, a data URI, a table row...).
                    text.Append(Line(random, random.Next(800, 6000))).Append(NewLine(random, crlf));
                    break;
                case 2:
                    // A long line with no spaces at all.
                    text.Append(NoSpaces(random, random.Next(300, 3000))).Append(NewLine(random, crlf));
                    break;
                default:
                    for (var k = random.Next(1, 12); k > 0; k--)
                    {
                        var indent = random.Next(4) == 0 ? new string(' ', 4 * random.Next(1, 4)) : string.Empty;
                        text.Append(indent).Append(Line(random, random.Next(0, 120))).Append(NewLine(random, crlf));
                    }

                    text.Append(NewLine(random, crlf));
                    break;
            }
        }

        if (random.Next(3) == 0)
        {
            text.Append(Line(random, random.Next(1, 80)));
        }

        // An empty document is not interesting here; a document is never empty in practice.
        return text.Length == 0 ? "x" : text.ToString();
    }

    /// <summary>One line of roughly <paramref name="chars"/> characters, without a line terminator.</summary>
    public static string Line(Random random, int chars)
    {
        var line = new StringBuilder(chars + 16);
        while (line.Length < chars)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(random.Next(8) == 0 ? s_exotic[random.Next(s_exotic.Length)] : s_words[random.Next(s_words.Length)]);
        }

        return line.ToString();
    }

    private static string NoSpaces(Random random, int chars)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=";
        var text = new StringBuilder(chars + 4);
        while (text.Length < chars)
        {
            text.Append(random.Next(50) == 0 ? s_exotic[random.Next(s_exotic.Length)] : alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    private static string NewLine(Random random, bool crlf) => crlf || random.Next(40) == 0 ? "\r\n" : "\n";
}
