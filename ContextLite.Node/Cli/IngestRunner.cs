namespace ContextLite.Node.Cli;

/// <summary>One ingest run: walk the folder, read and batch the files, post the batches, report.</summary>
internal sealed class IngestRunner
{
    /// <summary>The exit code of a run stopped by Ctrl+C, as shells report a SIGINT.</summary>
    public const int CancelledExitCode = 130;

    private readonly IngestOptions _options;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly bool _showProgress;
    private readonly TimeProvider _time;
    private readonly HttpMessageHandler? _handler;

    /// <param name="options">What to ingest and where.</param>
    /// <param name="output">Where the summary goes.</param>
    /// <param name="error">Where failures and the progress bar go.</param>
    /// <param name="showProgress">Whether to draw the progress bar on <paramref name="error"/>.</param>
    /// <param name="time">The clock for the elapsed time and progress redraws.</param>
    /// <param name="handler">The HTTP handler (tests); a fresh socket handler when null.</param>
    public IngestRunner(
        IngestOptions options, TextWriter output, TextWriter error, bool showProgress, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _output = output;
        _error = error;
        _showProgress = showProgress;
        _time = time;
        _handler = handler;
    }

    /// <summary>Runs the ingest; returns 0 when every file was stored, 1 on an item error or a stop.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var summary = new IngestSummary(new IngestSkipCounts());
        IngestProgress? progress = null;
        string? stopped = null;
        var exitCode = 1;
        try
        {
            var scan = new FolderWalker(_options.Root, _options.Includes, _options.Excludes, _options.UseGitignore).Walk(cancellationToken);
            summary = new IngestSummary(scan.Skipped);
            progress = new IngestProgress(_showProgress ? _error : null, scan.Files.Count, _time);
            using var client = new IngestClient(_options.Server, _options.Workspace, _handler, _options.ApiKey);
            await SendAsync(scan.Files, client, summary, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestException ex)
        {
            stopped = ex.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopped = "cancelled";
            exitCode = CancelledExitCode;
        }
        finally
        {
            progress?.Clear();
        }

        if (stopped is not null)
        {
            await _error.WriteLineAsync("ingest: " + stopped).ConfigureAwait(false);
        }

        summary.Write(_output, _options, _time.GetElapsedTime(started), stoppedEarly: stopped is not null);
        return stopped is null && summary.Errors == 0 ? 0 : exitCode;
    }

    private async Task SendAsync(
        IReadOnlyList<FolderFile> files, IngestClient client, IngestSummary summary, IngestProgress progress, CancellationToken cancellationToken)
    {
        var batch = new List<IngestDocument>(Math.Min(_options.BatchSize, Math.Max(files.Count, 1)));
        long batchBytes = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var read = await IngestFileReader.ReadAsync(file, _options.MaxFileBytes, cancellationToken).ConfigureAwait(false);
            if (read.Skipped is { } reason)
            {
                summary.Skipped.Add(reason);
            }
            else
            {
                if (batch.Count > 0 && batchBytes + read.Bytes > IngestOptions.MaxBatchContentBytes)
                {
                    await FlushAsync(client, batch, summary, cancellationToken).ConfigureAwait(false);
                    batchBytes = 0;
                }

                batch.Add(new IngestDocument(file.RelativePath, read.Content!));
                batchBytes += read.Bytes;
                if (batch.Count >= _options.BatchSize)
                {
                    await FlushAsync(client, batch, summary, cancellationToken).ConfigureAwait(false);
                    batchBytes = 0;
                }
            }

            progress.Report(i + 1);
        }

        if (batch.Count > 0)
        {
            await FlushAsync(client, batch, summary, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task FlushAsync(IngestClient client, List<IngestDocument> batch, IngestSummary summary, CancellationToken cancellationToken)
    {
        var response = await client.PostAsync(batch, cancellationToken).ConfigureAwait(false);
        summary.Add(batch, response);
        batch.Clear();
    }
}
