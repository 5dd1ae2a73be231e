using System.Globalization;

namespace ContextLite.Node.Cli;

/// <summary>The totals of an ingest run, and the report printed at its end.</summary>
internal sealed class IngestSummary
{
    private const int MaxListedErrors = 20;

    // The reasons every summary lists, even at zero, so that scripts and readers find them in one place.
    private static readonly IngestSkipReason[] s_alwaysListed =
    [
        IngestSkipReason.Gitignored,
        IngestSkipReason.ExcludedByGlob,
        IngestSkipReason.Binary,
        IngestSkipReason.TooLarge,
        IngestSkipReason.Empty,
    ];

    private static readonly IngestSkipReason[] s_listedWhenSeen = [IngestSkipReason.SymlinkedFolder, IngestSkipReason.Unreadable];

    private readonly List<(string Path, string Message)> _errors = [];

    public IngestSummary(IngestSkipCounts skipped) => Skipped = skipped;

    public IngestSkipCounts Skipped { get; }

    public int FilesSent { get; private set; }

    public int Added { get; private set; }

    public int Updated { get; private set; }

    public int Unchanged { get; private set; }

    public int Errors { get; private set; }

    public long Chunks { get; private set; }

    public long Tokens { get; private set; }

    /// <summary>Counts the node's answer to <paramref name="batch"/>.</summary>
    public void Add(IReadOnlyList<IngestDocument> batch, IngestBatchResponse response)
    {
        FilesSent += batch.Count;
        if (response.Results is null)
        {
            Added += response.Added;
            Updated += response.Updated;
            Unchanged += response.Unchanged;
            Errors += response.Errors;
            return;
        }

        foreach (var result in response.Results)
        {
            switch (result.Status)
            {
                case IngestItemResult.Added:
                    Added++;
                    break;
                case IngestItemResult.Updated:
                    Updated++;
                    break;
                case IngestItemResult.Unchanged:
                    Unchanged++;
                    break;
                default:
                    var path = result.Path ?? (result.Index >= 0 && result.Index < batch.Count ? batch[result.Index].Path : $"item {result.Index}");
                    AddError(path, result.Error ?? $"status '{result.Status}'");
                    continue;
            }

            Chunks += result.Chunks ?? 0;
            Tokens += result.Tokens ?? 0;
        }
    }

    public void Write(TextWriter output, IngestOptions options, TimeSpan elapsed, bool stoppedEarly)
    {
        output.WriteLine(
            $"Ingest of {options.Root} into workspace '{options.Workspace}' at {options.Server}{(stoppedEarly ? " stopped early" : string.Empty)}");
        output.WriteLine($"files sent: {FilesSent}");
        output.WriteLine($"added: {Added}");
        output.WriteLine($"updated: {Updated}");
        output.WriteLine($"unchanged: {Unchanged}");
        output.WriteLine($"errors: {Errors}");
        foreach (var (path, message) in _errors)
        {
            output.WriteLine($"  {path}: {message}");
        }

        if (Errors > _errors.Count)
        {
            output.WriteLine($"  ... and {Errors - _errors.Count} more");
        }

        output.WriteLine($"chunks: {Chunks}");
        output.WriteLine($"tokens: {Tokens}");
        output.WriteLine($"skipped: {Skipped.Total}");
        foreach (var reason in s_alwaysListed)
        {
            output.WriteLine($"  {Label(reason)}: {Skipped[reason]}");
        }

        foreach (var reason in s_listedWhenSeen)
        {
            if (Skipped[reason] > 0)
            {
                output.WriteLine($"  {Label(reason)}: {Skipped[reason]}");
            }
        }

        output.WriteLine($"elapsed: {elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
    }

    private static string Label(IngestSkipReason reason) => reason switch
    {
        IngestSkipReason.Gitignored => "gitignored",
        IngestSkipReason.ExcludedByGlob => "excluded by glob",
        IngestSkipReason.Binary => "binary",
        IngestSkipReason.TooLarge => "too large",
        IngestSkipReason.Empty => "empty",
        IngestSkipReason.SymlinkedFolder => "symlinked folder",
        IngestSkipReason.Unreadable => "unreadable",
        _ => reason.ToString(),
    };

    private void AddError(string path, string message)
    {
        Errors++;
        if (_errors.Count < MaxListedErrors)
        {
            _errors.Add((path, message));
        }
    }
}
