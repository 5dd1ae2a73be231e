namespace ContextLite.Node.Quotas;

/// <summary>
/// What an admitted request holds: its token reservation, its concurrency lease and its node slot. Disposing
/// refunds <c>Reserved − Used</c> tokens and releases the lease and the slot, once.
/// </summary>
internal sealed class Admission : IAsyncDisposable
{
    private readonly QuotaService _service;
    private int _disposed;

    internal Admission(QuotaService service, string workspace, long reserved, IQuotaStore? tokenStore, string? leaseId, IQuotaStore? leaseStore, bool gate)
    {
        _service = service;
        Workspace = workspace;
        Reserved = reserved;
        TokenStore = tokenStore;
        LeaseId = leaseId;
        LeaseStore = leaseStore;
        HoldsGate = gate;
    }

    public string Workspace { get; }

    /// <summary>Tokens taken from the bucket on admission.</summary>
    public long Reserved { get; }

    /// <summary>Tokens the request actually delivered; set it before disposing (zero refunds everything).</summary>
    public long Used { get; set; }

    internal IQuotaStore? TokenStore { get; }

    internal string? LeaseId { get; }

    internal IQuotaStore? LeaseStore { get; }

    internal bool HoldsGate { get; private set; }

    internal Admission WithGate()
    {
        HoldsGate = true;
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _service.ReleaseAsync(this);
        }
    }
}
