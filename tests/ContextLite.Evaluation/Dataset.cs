using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ContextLite.Evaluation;

/// <summary>
/// A retrieval collection in the layout of <c>shared/data/README.md</c>: BEIR jsonl corpus (gzip or plain),
/// queries, <c>qrels.tsv</c>, and optional precomputed vectors (<c>{name}.corpus.f32/.ids</c>, <c>{name}.queries.f32/.ids</c>).
/// </summary>
internal sealed class Dataset
{
    public required string Name { get; init; }

    public required IReadOnlyList<(string Id, string Title, string Text)> Corpus { get; init; }

    public required IReadOnlyDictionary<string, string> Queries { get; init; }

    /// <summary>Query id → (document id → graded relevance &gt; 0).</summary>
    public required IReadOnlyDictionary<string, Dictionary<string, int>> Qrels { get; init; }

    public Dictionary<string, float[]>? CorpusVectors { get; init; }

    public Dictionary<string, float[]>? QueryVectors { get; init; }

    public static Dataset Load(string directory, string? vectors)
    {
        var corpusPath = File.Exists(Path.Combine(directory, "corpus.jsonl.gz"))
            ? Path.Combine(directory, "corpus.jsonl.gz")
            : Path.Combine(directory, "corpus.jsonl");
        var corpus = new List<(string, string, string)>();
        foreach (var line in ReadLines(corpusPath))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            corpus.Add((Str(root, "_id")!, Str(root, "title") ?? string.Empty, Str(root, "text") ?? string.Empty));
        }

        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ReadLines(Path.Combine(directory, "queries.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            queries[Str(doc.RootElement, "_id")!] = Str(doc.RootElement, "text") ?? string.Empty;
        }

        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory, "qrels.tsv")).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3 || !int.TryParse(parts[2], out var score) || score <= 0)
            {
                continue;
            }

            if (!qrels.TryGetValue(parts[0], out var judged))
            {
                qrels[parts[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            judged[parts[1]] = score;
        }

        return new Dataset
        {
            Name = new DirectoryInfo(directory).Name,
            Corpus = corpus,
            Queries = queries,
            Qrels = qrels,
            CorpusVectors = vectors is null ? null : ReadVectors(directory, vectors + ".corpus"),
            QueryVectors = vectors is null ? null : ReadVectors(directory, vectors + ".queries"),
        };
    }

    private static Dictionary<string, float[]>? ReadVectors(string directory, string stem)
    {
        var f32 = Path.Combine(directory, stem + ".f32");
        var ids = Path.Combine(directory, stem + ".ids");
        if (!File.Exists(f32) || !File.Exists(ids))
        {
            return null;
        }

        var names = File.ReadAllLines(ids).Where(l => l.Length > 0).ToArray();
        var bytes = File.ReadAllBytes(f32);
        var floats = MemoryMarshal.Cast<byte, float>(bytes);
        var dimension = floats.Length / names.Length;
        var map = new Dictionary<string, float[]>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            map[names[i]] = floats.Slice(i * dimension, dimension).ToArray();
        }

        return map;
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString() : null;
}
