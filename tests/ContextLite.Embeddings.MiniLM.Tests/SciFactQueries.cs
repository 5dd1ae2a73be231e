using System.Text.Json;

namespace ContextLite.Embeddings.MiniLM.Tests;

/// <summary>
/// The SciFact test queries with their reference all-MiniLM-L6-v2 vectors, from <c>../shared/data/scifact</c>
/// beside the repository root.
/// </summary>
internal sealed class SciFactQueries
{
    public const int Dimensions = 384;

    private SciFactQueries(string[] ids, string[] texts, float[] vectors)
    {
        Ids = ids;
        Texts = texts;
        Vectors = vectors;
    }

    public string[] Ids { get; }

    public string[] Texts { get; }

    /// <summary>Row-major, <see cref="Dimensions"/> floats per query, in the order of <see cref="Ids"/>.</summary>
    public float[] Vectors { get; }

    public ReadOnlySpan<float> Vector(int i) => Vectors.AsSpan(i * Dimensions, Dimensions);

    public static SciFactQueries Load()
    {
        string folder = Path.Combine(RepositoryRoot(), "..", "shared", "data", "scifact");
        string[] ids = File.ReadAllLines(Path.Combine(folder, "minilm.queries.ids"));
        byte[] raw = File.ReadAllBytes(Path.Combine(folder, "minilm.queries.f32"));
        if (raw.Length != ids.Length * Dimensions * sizeof(float))
        {
            throw new InvalidDataException($"minilm.queries.f32 has {raw.Length} bytes for {ids.Length} ids.");
        }

        // float32 little-endian, as is every platform .NET runs these tests on.
        var vectors = new float[ids.Length * Dimensions];
        Buffer.BlockCopy(raw, 0, vectors, 0, raw.Length);

        var textById = new Dictionary<string, string>();
        foreach (string line in File.ReadLines(Path.Combine(folder, "queries.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            textById[json.RootElement.GetProperty("_id").GetString()!] = json.RootElement.GetProperty("text").GetString()!;
        }

        return new SciFactQueries(ids, [.. ids.Select(id => textById[id])], vectors);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContextLite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ContextLite.sln above {AppContext.BaseDirectory}.");
    }
}
