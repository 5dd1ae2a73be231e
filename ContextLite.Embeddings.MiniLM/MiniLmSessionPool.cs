using Microsoft.ML.OnnxRuntime;

namespace ContextLite.Embeddings;

/// <summary>
/// Up to <see cref="Size"/> lanes, created when first needed and reused; a semaphore bounds how many are in use.
/// Each lane has its own ONNX Runtime session, or (<see cref="MiniLmEmbeddingOptions.ShareSession"/>) all lanes
/// run on one shared session. After <see cref="Dispose"/>, lanes still rented are disposed as they come back and
/// the last one out releases the shared session.
/// </summary>
internal sealed class MiniLmSessionPool : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly Stack<MiniLmSession> _idle = new();
    private readonly Lazy<InferenceSession>? _shared;
    private readonly Lock _lock = new();
    private readonly int _maxTokens;
    private int _live;
    private bool _disposed;
    private bool _sharedReleased;

    public MiniLmSessionPool(int size, int maxTokens, bool shareSession)
    {
        Size = size;
        _maxTokens = maxTokens;
        _slots = new SemaphoreSlim(size, size);
        _shared = shareSession ? new Lazy<InferenceSession>(MiniLmSession.CreateInferenceSession) : null;
    }

    /// <summary>The most lanes that exist and run at once.</summary>
    public int Size { get; }

    /// <summary>Lanes created so far and not disposed.</summary>
    public int Created
    {
        get
        {
            lock (_lock)
            {
                return _live;
            }
        }
    }

    public async ValueTask<MiniLmSession> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return TakeOrCreate();
    }

    public MiniLmSession Rent(CancellationToken cancellationToken)
    {
        _slots.Wait(cancellationToken);
        return TakeOrCreate();
    }

    public void Return(MiniLmSession session)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                Retire(session);
            }
            else
            {
                _idle.Push(session);
            }
        }

        _slots.Release();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            while (_idle.TryPop(out var session))
            {
                Retire(session);
            }

            ReleaseSharedIfUnused();
        }
    }

    private MiniLmSession TakeOrCreate()
    {
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_idle.TryPop(out var idle))
                {
                    return idle;
                }

                // Counted before it exists, so a shared session cannot be released while a lane is being built on it.
                _live++;
            }

            try
            {
                // Loading takes a moment: done outside the lock so that returning lanes are not held up.
                return _shared is null
                    ? new MiniLmSession(_maxTokens, MiniLmSession.CreateInferenceSession(), ownsSession: true)
                    : new MiniLmSession(_maxTokens, _shared.Value, ownsSession: false);
            }
            catch
            {
                lock (_lock)
                {
                    _live--;
                    ReleaseSharedIfUnused();
                }

                throw;
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Disposes a lane for good. Caller holds the lock.</summary>
    private void Retire(MiniLmSession session)
    {
        session.Dispose();
        _live--;
        ReleaseSharedIfUnused();
    }

    /// <summary>Caller holds the lock.</summary>
    private void ReleaseSharedIfUnused()
    {
        if (_disposed && _live == 0 && !_sharedReleased)
        {
            _sharedReleased = true;
            if (_shared is { IsValueCreated: true })
            {
                _shared.Value.Dispose();
            }
        }
    }
}
