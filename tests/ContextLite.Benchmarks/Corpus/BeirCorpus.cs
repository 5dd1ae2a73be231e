using System.IO.Compression;
using System.Text.Json;
using ContextLite.Storage;

namespace ContextLite.Benchmarks.Corpus;

/// <summary>
/// The documents of a retrieval collection in the layout of <c>shared/data/README.md</c> (BEIR jsonl, gzip or
/// plain), as the evaluation ingests them: id, path <c>doc/{id}</c>, title and text separated by a blank line.
/// </summary>
internal static class BeirCorpus
{
    public static IReadOnlyList<DocumentInput> Load(string directory)
    {
        var path = Path.Combine(directory, "corpus.jsonl.gz");
        if (!File.Exists(path))
        {
            path = Path.Combine(directory, "corpus.jsonl");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No corpus.jsonl.gz or corpus.jsonl in '{directory}'.", path);
        }

        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var documents = new List<DocumentInput>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var id = root.GetProperty("_id").GetString() ?? throw new InvalidDataException($"A line of '{path}' has no _id.");
            var title = root.TryGetProperty("title", out var t) ? t.GetString() ?? string.Empty : string.Empty;
            var text = root.TryGetProperty("text", out var x) ? x.GetString() ?? string.Empty : string.Empty;
            documents.Add(new DocumentInput(id, "doc/" + id, title.Length > 0 ? title + "\n\n" + text : text));
        }

        return documents;
    }
}
