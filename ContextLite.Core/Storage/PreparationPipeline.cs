namespace ContextLite.Storage;

/// <summary>
/// Runs a batch's per-item preparation (validation, hashing, chunking) on the thread pool in item order while the
/// caller consumes the items in the same order: the writer applies item i as soon as it is ready, so preparing
/// later items overlaps writing earlier ones instead of preceding all of them.
/// </summary>
/// <remarks>
/// Workers take the next index from a shared counter, so items finish roughly in order and the writer rarely waits
/// behind a later one. A failure or cancellation of the preparation is rethrown to the waiting writer.
/// </remarks>
internal sealed class PreparationPipeline
{
    private readonly int _count;
    private readonly bool[] _done;
    private readonly object _gate = new();   // Monitor.Wait/PulseAll: System.Threading.Lock has no condition wait
    private readonly Task _work;
    private int _next;
    private Exception? _failure;

    private PreparationPipeline(int count, int workers, Action<int> prepare, CancellationToken cancellationToken)
    {
        _count = count;
        _done = new bool[count];
        var tasks = new Task[Math.Clamp(workers, 1, count)];
        for (var w = 0; w < tasks.Length; w++)
        {
            tasks[w] = Task.Run(() => Work(prepare, cancellationToken), CancellationToken.None);
        }

        _work = Task.WhenAll(tasks);
    }

    /// <summary>Starts preparing items 0 … <paramref name="count"/> − 1 with <paramref name="prepare"/> on <paramref name="workers"/> threads.</summary>
    public static PreparationPipeline Start(int count, int workers, Action<int> prepare, CancellationToken cancellationToken) =>
        new(count, workers, prepare, cancellationToken);

    /// <summary>Blocks until item <paramref name="index"/> is prepared; rethrows what stopped the preparation.</summary>
    public void WaitFor(int index)
    {
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

    /// <summary>Waits for every item (the preparation's own tasks), rethrowing a failure.</summary>
    public Task CompletionAsync() => _work;

    private void Work(Action<int> prepare, CancellationToken cancellationToken)
    {
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref _next) - 1) < _count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                prepare(i);
                lock (_gate)
                {
                    _done[i] = true;
                    Monitor.PulseAll(_gate);
                }
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
