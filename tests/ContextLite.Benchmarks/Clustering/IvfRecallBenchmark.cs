using System.Diagnostics;
using System.Runtime.InteropServices;
using ContextLite.Clustering;
using ContextLite.Search;

namespace ContextLite.Benchmarks.Clustering;

/// <summary>
/// IVF recall@10 against the exact scan on SciFact's all-MiniLM-L6-v2 vectors (5,183 abstracts, 300 claims as
/// queries), for a range of nprobe, with the lists built as the indexer builds them (k = ⌈√N⌉ = 72, the same
/// number of lists as the FAISS and pgvector figures of <c>data/README.md</c>).
/// </summary>
internal static class IvfRecallBenchmark
{
    public const int Dimension = 384;
    public const int TopK = 10;
    public static readonly int[] Probes = [1, 2, 4, 8, 16, 32, 72];

    public static IvfRecall Run(string scifactDirectory, int seed, TextWriter log)
    {
        var corpus = ReadVectors(Path.Combine(scifactDirectory, "minilm.corpus.f32"));
        var queries = ReadVectors(Path.Combine(scifactDirectory, "minilm.queries.f32"));
        int n = corpus.Length / Dimension, q = queries.Length / Dimension;
        var index = new VectorIndex(Dimension);
        index.UpsertMany(Enumerable.Range(0, n).Select(i => ((long)i, corpus.AsSpan(i * Dimension, Dimension).ToArray())).ToList());
        var build = index.BuildClusters(new KMeansOptions(Seed: seed));
        log.WriteLine($"SciFact: {n} vectors, {q} queries, K = {build.K}, {build.Iterations} iterations");

        var exact = new HashSet<long>[q];
        var exactWatch = Stopwatch.StartNew();
        for (int i = 0; i < q; i++)
        {
            exact[i] = [.. index.SearchExact(queries.AsSpan(i * Dimension, Dimension), TopK).Select(h => h.Id)];
        }

        double exactMs = exactWatch.Elapsed.TotalMilliseconds / q;
        var rows = new List<IvfRecallRow>();
        foreach (int nprobe in Probes.Where(p => p <= build.K))
        {
            int found = 0;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < q; i++)
            {
                foreach (var hit in index.SearchIvf(queries.AsSpan(i * Dimension, Dimension), TopK, nprobe))
                {
                    found += exact[i].Contains(hit.Id) ? 1 : 0;
                }
            }

            var row = new IvfRecallRow(nprobe, (double)found / (q * TopK), watch.Elapsed.TotalMilliseconds / q);
            log.WriteLine($"nprobe {nprobe,2}: recall@10 {row.Recall:0.000}, {row.MillisecondsPerQuery:0.000} ms/query");
            rows.Add(row);
        }

        var maxProbes = new ClusteringOptions().MaxProbesFor(build.K);
        foreach (float gap in (float[])[0.3f, 0.5f, 0.75f, 0.9f, 1.0f])
        {
            int found = 0;
            long probed = 0;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < q; i++)
            {
                var hits = index.SearchIvf(queries.AsSpan(i * Dimension, Dimension), TopK, maxProbes, gap, out var used);
                probed += used;
                found += hits.Count(h => exact[i].Contains(h.Id));
            }

            log.WriteLine($"adaptive gap {gap:0.00} (at most {maxProbes}): {probed / (double)q:0.0} probes, recall@10 {(double)found / (q * TopK):0.000}, {watch.Elapsed.TotalMilliseconds / q:0.000} ms/query");
        }

        return new IvfRecall(n, q, build.K, exactMs, rows);
    }

    private static float[] ReadVectors(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

/// <summary>Recall@10 of the IVF search at each nprobe, and the exact scan's time per query.</summary>
internal sealed record IvfRecall(int Vectors, int Queries, int K, double ExactMillisecondsPerQuery, IReadOnlyList<IvfRecallRow> Rows);

/// <summary>One nprobe: recall@10 against the exact top 10 and the mean time per query.</summary>
internal sealed record IvfRecallRow(int NProbe, double Recall, double MillisecondsPerQuery);
