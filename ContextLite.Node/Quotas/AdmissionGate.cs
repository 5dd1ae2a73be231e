namespace ContextLite.Node.Quotas;

/// <summary>
/// The node-wide limit on queries running at once. When every slot is busy, callers wait in a queue ordered by
/// their workspace's priority (higher first, first-come within a priority) for at most a bounded time.
/// </summary>
/// <remarks>
/// A released slot passes straight to the head of the queue rather than back to the pool, so a newcomer can
/// never overtake a waiter. A waiter that times out removes itself under the lock; if it is no longer in the
/// queue the slot was already handed to it, and it keeps the slot.
/// </remarks>
internal sealed class AdmissionGate(int capacity, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly SortedSet<Waiter> _queue = new(Waiter.Order);
    private int _inUse;
    private long _sequence;

    public int Capacity { get; } = capacity;

    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Takes a slot, waiting up to <paramref name="maxWait"/>; false when none came free. Every true needs one <see cref="Release"/>.</summary>
    public async Task<bool> TryEnterAsync(int priority, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_inUse < Capacity && _queue.Count == 0)
            {
                _inUse++;
                return true;
            }

            if (maxWait <= TimeSpan.Zero)
            {
                return false;
            }

            waiter = new Waiter(priority, _sequence++);
            _queue.Add(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(maxWait, time, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_lock)
            {
                if (_queue.Remove(waiter))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return false;
                }
            }

            // Handed a slot while giving up: keep it, or pass it on if the caller is gone.
            if (cancellationToken.IsCancellationRequested)
            {
                Release();
                throw;
            }

            return true;
        }
    }

    public void Release()
    {
        Waiter? next = null;
        lock (_lock)
        {
            if (_queue.Count > 0)
            {
                next = _queue.Min!;
                _queue.Remove(next);
            }
            else
            {
                _inUse--;
            }
        }

        next?.Granted.TrySetResult();
    }

    private sealed class Waiter(int priority, long sequence)
    {
        public static readonly IComparer<Waiter> Order = Comparer<Waiter>.Create(static (a, b) =>
            a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Sequence.CompareTo(b.Sequence));

        public int Priority { get; } = priority;

        public long Sequence { get; } = sequence;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
