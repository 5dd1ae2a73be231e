namespace ContextLite.Node.Cli;

/// <summary>A one-line progress bar (<c>[#####.....] 120/400 files</c>) redrawn in place with carriage returns.</summary>
internal sealed class IngestProgress
{
    private const int BarWidth = 30;

    // Redrawing on every file would make a fast ingest of a big tree spend its time writing to the terminal.
    private static readonly TimeSpan s_redrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter? _writer;
    private readonly int _total;
    private readonly TimeProvider _time;
    private long _lastDraw;
    private int _drawnLength;

    /// <param name="writer">Where to draw; null draws nothing.</param>
    /// <param name="total">The number of files the run will look at.</param>
    /// <param name="time">The clock that throttles redraws.</param>
    public IngestProgress(TextWriter? writer, int total, TimeProvider time)
    {
        _writer = writer;
        _total = total;
        _time = time;
    }

    /// <summary>
    /// Whether to draw on <paramref name="error"/>: only on the process's own stderr attached to a terminal,
    /// because in a log file or a pipe the carriage returns are noise.
    /// </summary>
    public static bool IsInteractive(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>The bar for <paramref name="done"/> of <paramref name="total"/> files.</summary>
    public static string Render(int done, int total)
    {
        var filled = total <= 0 ? BarWidth : (int)(Math.Clamp(done, 0, total) * (long)BarWidth / total);
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total} files";
    }

    public void Report(int done)
    {
        if (_writer is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (done < _total && _drawnLength > 0 && _time.GetElapsedTime(_lastDraw, now) < s_redrawInterval)
        {
            return;
        }

        _lastDraw = now;
        var line = Render(done, _total);
        _writer.Write('\r' + line.PadRight(_drawnLength));
        _writer.Flush();
        _drawnLength = line.Length;
    }

    /// <summary>Blanks the bar so that what follows starts on a clean line.</summary>
    public void Clear()
    {
        if (_writer is null || _drawnLength == 0)
        {
            return;
        }

        _writer.Write('\r' + new string(' ', _drawnLength) + '\r');
        _writer.Flush();
        _drawnLength = 0;
    }
}
