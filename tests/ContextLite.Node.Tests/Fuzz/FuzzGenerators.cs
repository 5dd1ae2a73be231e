using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ContextLite.Node.Tests.Fuzz;

/// <summary>
/// FsCheck generators for hostile requests to every POST endpoint and the document list: random JSON shapes,
/// near-valid bodies with one hostile field, raw bytes, and every way of naming a workspace.
/// </summary>
public static class FuzzGenerators
{
    private static readonly string[] PostEndpoints =
        ["/api/v1/documents", "/api/v1/documents/bulk", "/api/v1/assemble", "/api/v1/context/assemble", "/api/v1/search"];

    public static Gen<FuzzRequest> Requests(int bodyLimitBytes) =>
        Gen.Frequency(
            (6, PostRequests(bodyLimitBytes)),
            (1, ListRequests()),
            (1, GetDocumentRequests()));

    public static Gen<string> NastyString() =>
        Gen.Frequency(
            (8, Gen.Elements(NastyValues.Strings)),
            (2, Gen.ListOf(Gen.Elements(NastyValues.Strings), 4).Select(parts => string.Join(" ", parts))),
            (1, Gen.Elements(10_000, 100_000).Select(n => new string('x', n))),
            (1, Gen.Choose(0, 0xFFFF).ArrayOf(16).Select(codes => new string([.. codes.Select(c => (char)c)]))));

    public static Gen<string> JsonValue() => Gen.Sized(size => JsonValue(Math.Min(size, 6)));

    private static Gen<string> JsonValue(int depth)
    {
        var leaves = Gen.Frequency(
            (3, NastyString().Select(JsonText.Quote)),
            (3, Gen.Elements(NastyValues.Numbers)),
            (1, Gen.Elements("true", "false", "null")));
        if (depth <= 0)
        {
            return leaves;
        }

        var member = Gen.Elements(NastyValues.FieldNames).SelectMany(name => JsonValue(depth - 1).Select(value => (name, value)));
        return Gen.Frequency(
            (4, leaves),
            (1, Gen.ListOf(JsonValue(depth - 1), 4).Select(JsonText.Array)),
            (2, Gen.ListOf(member, 5).Select(JsonText.Object)));
    }

    /// <summary>A body that is almost right: the endpoint's own fields, each sometimes hostile.</summary>
    private static Gen<string> NearValidBody(string endpoint)
    {
        Gen<string> Field(Gen<string> good, Gen<string> bad) => Gen.Frequency((2, good), (1, bad));
        var text = Field(Gen.Elements("alpha beta", "storage of documents", "notes.md").Select(JsonText.Quote), JsonValue());
        var number = Field(Gen.Elements("1", "5", "200"), Gen.Elements(NastyValues.Numbers));
        var hostileText = NastyString().Select(JsonText.Quote);
        var workspacePath = Gen.Elements(NastyValues.Workspaces.Concat(["../../etc/passwd", "../../x", "/"]).ToArray()).Select(JsonText.Quote);

        if (endpoint.Contains("documents", StringComparison.Ordinal))
        {
            var document =
                from id in Field(Gen.Elements("d1", "d2", "dir/d3").Select(JsonText.Quote), hostileText)
                from path in Field(Gen.Elements("a.md", "src/b.cs").Select(JsonText.Quote), hostileText)
                from content in Field(text, hostileText)
                from metadata in Field(Gen.Constant("{\"k\":\"v\"}"), JsonValue())
                from wsPath in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, workspacePath.Select(s => (string?)s)))
                select JsonText.Object(new[] { ("id", id), ("path", path), ("content", content), ("metadata", metadata) }
                    .Concat(wsPath is null ? [] : new[] { ("workspace_path", wsPath) }));
            return endpoint.EndsWith("bulk", StringComparison.Ordinal)
                ? Gen.Frequency(
                    (3, Gen.ListOf(document, 3).Select(JsonText.Array)),
                    (1, Gen.ListOf(document, 3).Select(docs => JsonText.Object([("documents", JsonText.Array(docs))]))))
                : document;
        }

        return
            from query in Field(text, hostileText)
            from maxTokens in number
            from k in number
            from maxDocuments in number
            from mode in Field(Gen.Elements("\"auto\"", "\"lexical\"", "\"semantic\"", "\"hybrid\""), JsonValue())
            from embedding in Gen.Frequency((4, Gen.Constant("null")), (1, Gen.ListOf(Gen.Elements(NastyValues.Numbers), 4).Select(JsonText.Array)))
            from wsPath in Gen.Frequency((3, Gen.Constant("null")), (1, workspacePath))
            select JsonText.Object([
                ("query", query), ("max_tokens", maxTokens), ("k", k), ("max_documents", maxDocuments), ("mode", mode),
                ("query_embedding", embedding), ("workspace_path", wsPath)]);
    }

    private static Gen<byte[]> RawBody(int bodyLimitBytes) =>
        Gen.Elements(
            Encoding.UTF8.GetBytes(new string('[', 30_000) + new string(']', 30_000)),
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)),
            Encoding.UTF8.GetBytes("{\"query\":\"" + new string('q', bodyLimitBytes + 1) + "\"}"),
            [.. Encoding.UTF8.GetBytes("{\"query\":\"x"), 0xFF, 0xFE, 0xC0, 0x80, .. Encoding.UTF8.GetBytes("\"}")],
            [.. Encoding.UTF8.GetBytes("{\"path\":\"a\",\"content\":\""), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes("\"}")],
            [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"query\":\"bom\"}")],
            Encoding.UTF8.GetBytes("{\"query\":\"a\",\"query\":\"b\"}"),
            Encoding.UTF8.GetBytes("{\"query\":'single'}"),
            Encoding.UTF8.GetBytes("{\"query\":\"x\" /* comment */}"),
            Encoding.UTF8.GetBytes("{\"query\":\"x\",}"),
            Encoding.UTF8.GetBytes("\0\0\0\0"),
            []);

    private static Gen<FuzzRequest> PostRequests(int bodyLimitBytes) =>
        from endpoint in Gen.Elements(PostEndpoints)
        from route in Route(endpoint)
        from body in Gen.Frequency(
            (4, NearValidBody(endpoint).Select(Encoding.UTF8.GetBytes)),
            (2, JsonValue().Select(Encoding.UTF8.GetBytes)),
            (1, RawBody(bodyLimitBytes)))
        from contentType in Gen.Frequency(
            (8, Gen.Constant("application/json")),
            (1, Gen.Elements("text/plain", "application/json; charset=utf-16", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "")))
        select new FuzzRequest(HttpMethod.Post, route.Path, route.Header, body, contentType);

    private static Gen<FuzzRequest> ListRequests() =>
        from route in Route("/api/v1/documents")
        from limit in Gen.Elements(NastyValues.Numbers.Concat(["abc", "", "1;DROP"]).ToArray())
        from cursor in Gen.Frequency((2, Gen.Constant("")), (3, NastyString()))
        select new FuzzRequest(
            HttpMethod.Get,
            Append(route.Path, "limit=" + Uri.EscapeDataString(limit) + "&cursor=" + Escape(cursor)),
            route.Header,
            null,
            "application/json");

    private static Gen<FuzzRequest> GetDocumentRequests() =>
        from route in Route("/api/v1/documents")
        from id in NastyString().Where(s => s.Length < 2_000)
        select new FuzzRequest(HttpMethod.Get, InsertSegment(route.Path, Escape(id)), route.Header, null, "application/json");

    /// <summary>Names the workspace by header, path segment, query parameter, several at once, or not at all.</summary>
    private static Gen<(string Path, string? Header)> Route(string endpoint) =>
        from how in Gen.Choose(0, 4)
        from workspace in Gen.Frequency((3, Gen.Constant("fuzz")), (2, Gen.Elements(NastyValues.Workspaces)))
        from other in Gen.Elements(NastyValues.Workspaces)
        select how switch
        {
            0 => (endpoint, (string?)workspace),
            1 => ("/workspace/" + Escape(workspace) + endpoint, null),
            2 => (Append(endpoint, "workspace=" + Escape(workspace)), null),
            3 => (Append("/workspace/" + Escape(workspace) + endpoint, "workspace=" + Escape(other)), other),
            _ => (endpoint, null),
        };

    private static string Append(string path, string query) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    private static string InsertSegment(string path, string segment)
    {
        var queryAt = path.IndexOf('?', StringComparison.Ordinal);
        return queryAt < 0 ? path + "/" + segment : path[..queryAt] + "/" + segment + path[queryAt..];
    }

    /// <summary>Percent-escapes text, lone surrogates included (which <see cref="Uri.EscapeDataString(string)"/> refuses).</summary>
    private static string Escape(string value)
    {
        try
        {
            return Uri.EscapeDataString(value);
        }
        catch (UriFormatException)
        {
            return string.Concat(value.Select(c => char.IsSurrogate(c) ? "%ED%A0%80" : Uri.EscapeDataString(c.ToString())));
        }
    }
}
