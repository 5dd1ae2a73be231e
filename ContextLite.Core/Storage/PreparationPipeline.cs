namespace ContextLite.Storage;

/// <summary>
/// Runs a batch's per-item preparation (validation, hashing, chunking) on the thread pool in item order while the
/// caller consumes the items in the same order: the writer applies item i as soon as it is ready, so preparing
/// later items overlaps writing earlier ones instead of preceding all of them.
/// </summary>
/// <remarks>
/// Workers and the waiting writer take the next index from a shared counter, so items finish roughly in order and
/// the writer rarely waits behind a later one. A failure or cancellation of the preparation is rethrown to the
/// writer (from whichever <see cref="WaitFor"/> meets it first); the background workers just stop.
/// </remarks>
internal sealed class PreparationPipeline
{
    private readonly int _count;
    private readonly bool[] _done;
    private readonly object _gate = new();   // Monitor.Wait/PulseAll: System.Threading.Lock has no condition wait
    private readonly Task _work;
    private readonly Action<int> _prepare;
    private readonly CancellationToken _cancellationToken;
    private int _next;
    private Exception? _failure;

    private PreparationPipeline(int count, int workers, Action<int> prepare, CancellationToken cancellationToken)
    {
        _count = count;
        _done = new bool[count];
        _prepare = prepare;
        _cancellationToken = cancellationToken;
        var tasks = new Task[Math.Clamp(workers, 0, count)];
        for (var w = 0; w < tasks.Length; w++)
        {
            tasks[w] = Task.Run(Work, CancellationToken.None);
        }

        _work = Task.WhenAll(tasks);
    }

    /// <summary>
    /// Starts preparing items 0 … <paramref name="count"/> − 1 with <paramref name="prepare"/> on <paramref name="workers"/>
    /// background threads (0: only the waiting writer prepares, through <see cref="WaitFor"/>).
    /// </summary>
    public static PreparationPipeline Start(int count, int workers, Action<int> prepare, CancellationToken cancellationToken) =>
        new(count, workers, prepare, cancellationToken);

    /// <summary>
    /// Returns once item <paramref name="index"/> is prepared, rethrowing what stopped the preparation. The caller
    /// does not sit idle meanwhile: it prepares the next unclaimed items itself and blocks only when every item is
    /// claimed and <paramref name="index"/>'s worker has not finished it yet (so no thread-pool thread is parked
    /// while there is work, which would starve the pool under concurrent requests).
    /// </summary>
    public void WaitFor(int index)
    {
        while (!Volatile.Read(ref _done[index]))
        {
            int next;
            if (_failure is null && (next = Interlocked.Increment(ref _next) - 1) < _count)
            {
                Prepare(next);
                continue;
            }

            lock (_gate)
            {
                while (!_done[index])
                {
                    if (_failure is { } failure)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                    }

                    Monitor.Wait(_gate);
                }
            }
        }
    }

    /// <summary>Completes when the background workers stop (every item claimed, or a failure).</summary>
    public Task CompletionAsync() => _work;

    private void Work()
    {
        int i;
        while (_failure is null && (i = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try
            {
                Prepare(i);
            }
            catch (Exception)
            {
                return;   // recorded by Prepare; the waiting writer rethrows it
            }
        }
    }

    private void Prepare(int i)
    {
        try
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _prepare(i);
            lock (_gate)
            {
                _done[i] = true;
                Monitor.PulseAll(_gate);
            }
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _failure ??= ex;
                Monitor.PulseAll(_gate);
            }

            throw;
        }
    }
}
