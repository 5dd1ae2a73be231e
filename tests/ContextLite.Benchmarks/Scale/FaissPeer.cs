using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ContextLite.Search;

namespace ContextLite.Benchmarks.Scale;

/// <summary>
/// Runs <c>peers/faiss_ivf.py</c> on the same vectors, lists (our centroids), queries and exact top 10 as the
/// harness, and reads back FAISS IVF-Flat's recall@10 and time per query at each nprobe.
/// </summary>
internal static class FaissPeer
{
    public static FaissResult? Run(
        string python, string folder, VectorIndex index, IReadOnlyList<ScaleItem> queries, long[][] truth, IReadOnlyList<int> probes, TextWriter log)
    {
        Directory.CreateDirectory(folder);
        Export(folder, index, queries, truth);
        var script = Path.Combine(RepositoryRoot(), "tests", "ContextLite.Benchmarks", "peers", "faiss_ivf.py");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script, folder, "--dimension", index.Dimension.ToString(CultureInfo.InvariantCulture), "--nprobe", string.Join(',', probes) },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            log.WriteLine($"  FAISS peer failed ({process.ExitCode}): {errors.Result.Trim()}");
            return null;
        }

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var rows = root.GetProperty("probes").EnumerateArray()
            .Select(r => new ProbeRow(r.GetProperty("nprobe").GetInt32(), r.GetProperty("recall").GetDouble(), r.GetProperty("milliseconds").GetDouble()))
            .ToList();
        var result = new FaissResult(root.GetProperty("version").GetString() ?? "?", root.GetProperty("add_seconds").GetDouble(), rows);
        log.WriteLine($"  FAISS {result.Version}: {string.Join(", ", rows.Select(r => $"nprobe {r.NProbe} recall {r.Recall:0.000} {r.Milliseconds:0.000} ms"))}");
        return result;
    }

    private static void Export(string folder, VectorIndex index, IReadOnlyList<ScaleItem> queries, long[][] truth)
    {
        var export = index.Export();
        using (var vectors = File.Create(Path.Combine(folder, "base.f32")))
        using (var idFile = File.Create(Path.Combine(folder, "base.i64")))
        {
            var ids = new long[4096];
            var rows = new float[ids.Length * index.Dimension];
            int read;
            while ((read = export.Read(ids, rows)) > 0)
            {
                vectors.Write(MemoryMarshal.AsBytes(rows.AsSpan(0, read * index.Dimension)));
                idFile.Write(MemoryMarshal.AsBytes(ids.AsSpan(0, read)));
            }
        }

        var clusters = index.ExportClusters() ?? throw new InvalidOperationException("The index has no clusters to compare.");
        File.WriteAllBytes(Path.Combine(folder, "centroids.f32"), MemoryMarshal.AsBytes(clusters.Centroids.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "queries.f32"), MemoryMarshal.AsBytes(queries.SelectMany(q => q.Vector).ToArray().AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "truth.i64"), MemoryMarshal.AsBytes(truth.SelectMany(t => t).ToArray().AsSpan()).ToArray());
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ContextLite.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ContextLite.sln not found above the benchmark's folder.");
    }
}
