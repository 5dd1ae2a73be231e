using BenchmarkDotNet.Attributes;
using ContextLite.Search;

namespace ContextLite.Benchmarks.Kernels;

/// <summary>
/// <see cref="FtsQuery.Parse"/> (words, lower-casing, stop words, the quoted OR expression) on a typical question
/// and on a pasted paragraph of about 60 words.
/// </summary>
[MemoryDiagnoser]
public class FtsQueryKernels
{
    private const string Question = "How are documents stored per workspace when the cluster index is rebuilt?";

    private const string Paragraph =
        "The gateway routes every request to the node that owns its workspace on the consistent hash ring. When that node " +
        "stops answering its health checks, the next node clockwise takes the workspace over from the replica it keeps, " +
        "and requests move there until the owner returns. Quotas and sessions live in Redis, so a failover keeps them; " +
        "the IVF clusters are rebuilt by the indexer.";

    [Benchmark(Description = "FTS query building (12-word question)")]
    public string? ParseQuestion() => FtsQuery.Parse(Question).Expression;

    [Benchmark(Description = "FTS query building (60-word paragraph)")]
    public string? ParseParagraph() => FtsQuery.Parse(Paragraph).Expression;
}
