namespace ContextLite.Node.Tests.Fuzz;

/// <summary>
/// The corpus of hostile values the generators draw from: query syntax of SQL and FTS5, traversal, control and
/// invalid Unicode, numbers at and past every integer boundary.
/// </summary>
public static class NastyValues
{
    /// <summary>Strings as .NET text; lone surrogates become <c>\uD800</c> escapes when written as JSON.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "\t\n", "a", "ordinary words about storage",
        "\"", "\"\"", "\"unterminated", "*", "a*", "*a", "NEAR(", "NEAR(a b, 2)", "NEAR(a", "a OR b", "OR", "AND", "NOT",
        "a AND NOT b", "-", "-x", "^", "^x", ":", "col:x", "content:x", "path:*", "(", ")", "((((", "a) OR (b",
        "'; DROP TABLE documents; --", "' OR '1'='1", "\"; DELETE FROM chunks; --", "x' UNION SELECT * FROM sqlite_master --",
        "%", "_", "\\", "\\\\", "{", "}", "[]", "null", "true", "0", "-1",
        "../../etc/passwd", "..\\..\\windows\\win.ini", "..", ".", "/", "//", "/etc/passwd", "C:\\x", "%2e%2e%2f", "..%2f..%2f",
        "a/../../b", "con", "nul", "aux.md", ".git/config", "~/x",
        "\0", "a\0b", "\u0001\u0002\u001f", "\u007f", "\u0085", "\u2028\u2029", "\u202e", "\ufeff", "\uffff", "\ufffd",
        "\ud800", "a\udc00b", "\udbff\udfff", "\ud83d\ude00", "日本語のテキスト", "e\u0301", "ǅ",
    ];

    /// <summary>JSON number tokens, written raw so they reach the node's parser exactly as a client could send them.</summary>
    public static readonly string[] Numbers =
    [
        "0", "1", "-1", "2", "5", "10", "100", "4000", "-0", "0.5", "1.5", "-2147483648", "-2147483649", "2147483647",
        "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999", "1e308", "1e309", "-1e309", "1e-400", "1E2", "3.0",
    ];

    /// <summary>Workspace ids for the header, path, query and body: valid ones, traversal and injection.</summary>
    public static readonly string[] Workspaces =
    [
        "fuzz", "other", "FUZZ", "a", "", " ", "..", "../etc", "..%2Fetc", "a/b", "a\\b", ".hidden", "has space", "a..b",
        "x%00y", "x\0y", "\u00e9", "'; DROP TABLE x; --", "*", new string('a', 65), new string('a', 64), "-", "_", "con",
    ];

    /// <summary>The fields the endpoints read, so random objects often hit a real field with a wrong value.</summary>
    public static readonly string[] FieldNames =
    [
        "id", "path", "content", "metadata", "documents", "query", "max_tokens", "max_documents", "k", "max_results", "mode",
        "solver", "include_content", "explain", "model_id", "query_embedding", "workspace_path", "embedding", "vector",
        "", "\u0000", "__proto__", "constructor",
    ];
}
