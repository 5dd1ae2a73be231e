namespace ContextLite.Node.Cli;

/// <summary>How many files and folders <c>ingest</c> left out, by reason.</summary>
internal sealed class IngestSkipCounts
{
    private readonly int[] _counts = new int[Enum.GetValues<IngestSkipReason>().Length];

    public int this[IngestSkipReason reason] => _counts[(int)reason];

    public int Total
    {
        get
        {
            var total = 0;
            foreach (var count in _counts)
            {
                total += count;
            }

            return total;
        }
    }

    public void Add(IngestSkipReason reason) => _counts[(int)reason]++;
}
