using ContextLite.Node.Caching;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Node.Tests.Caching;

public sealed class WorkspaceCacheLedgerTests
{
    private const long Overhead = WorkspaceCacheLedger.EntryOverheadBytes;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    [Fact]
    public void Record_WithinAllowance_CountsPayloadAndOverheadAndEvictsNothing()
    {
        var ledger = new WorkspaceCacheLedger(new FakeTimeProvider());

        Assert.Empty(ledger.Record("ws", "a", 1000, Ttl, 10_000));
        Assert.Empty(ledger.Record("ws", "b", 2000, Ttl, 10_000));

        Assert.Equal(3000 + (2 * Overhead), ledger.Bytes("ws"));
        Assert.Equal(0, ledger.Bytes("other"));
    }

    [Fact]
    public void Record_OverAllowance_EvictsOldestFirstUntilItFits()
    {
        var ledger = new WorkspaceCacheLedger(new FakeTimeProvider());
        var allowance = (3 * (1000 + Overhead)) + 10;
        ledger.Record("ws", "a", 1000, Ttl, allowance);
        ledger.Record("ws", "b", 1000, Ttl, allowance);
        ledger.Record("ws", "c", 1000, Ttl, allowance);

        var evicted = ledger.Record("ws", "d", 1500, Ttl, allowance);

        Assert.Equal(["a", "b"], evicted);
        Assert.Equal(2500 + (2 * Overhead), ledger.Bytes("ws"));
        Assert.True(ledger.Bytes("ws") <= allowance);
    }

    [Fact]
    public void Record_EntryLargerThanAllowance_EvictsEverythingIncludingItself()
    {
        var ledger = new WorkspaceCacheLedger(new FakeTimeProvider());
        ledger.Record("ws", "a", 100, Ttl, 5000);

        var evicted = ledger.Record("ws", "huge", 10_000, Ttl, 5000);

        Assert.Equal(["a", "huge"], evicted);
        Assert.Equal(0, ledger.Bytes("ws"));
    }

    [Fact]
    public void Record_NoAllowanceLeft_EvictsTheNewEntry()
    {
        var ledger = new WorkspaceCacheLedger(new FakeTimeProvider());

        Assert.Equal(["a"], ledger.Record("ws", "a", 10, Ttl, -1));
        Assert.Equal(0, ledger.Count("ws"));
    }

    [Fact]
    public void Record_SameKeyAgain_IsCountedOnceAndBecomesNewest()
    {
        var ledger = new WorkspaceCacheLedger(new FakeTimeProvider());
        var allowance = (2 * (1000 + Overhead)) + 10;
        ledger.Record("ws", "a", 1000, Ttl, allowance);
        ledger.Record("ws", "b", 1000, Ttl, allowance);
        ledger.Record("ws", "a", 1000, Ttl, allowance);

        var evicted = ledger.Record("ws", "c", 1000, Ttl, allowance);

        Assert.Equal(["b"], evicted);
        Assert.Equal(2, ledger.Count("ws"));
    }

    [Fact]
    public void Bytes_AfterTtl_DropsExpiredEntries()
    {
        var time = new FakeTimeProvider();
        var ledger = new WorkspaceCacheLedger(time);
        ledger.Record("ws", "a", 1000, Ttl, 1_000_000);
        time.Advance(TimeSpan.FromMinutes(3));
        ledger.Record("ws", "b", 1000, Ttl, 1_000_000);

        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, ledger.Count("ws"));
        Assert.Equal(1000 + Overhead, ledger.Bytes("ws"));
    }

    [Fact]
    public void Forget_DropsTheWorkspacesEntries()
    {
        var ledger = new WorkspaceCacheLedger(new FakeTimeProvider());
        ledger.Record("ws", "a", 1000, Ttl, 1_000_000);
        ledger.Record("kept", "a", 1000, Ttl, 1_000_000);

        ledger.Forget("ws");

        Assert.Equal(0, ledger.Bytes("ws"));
        Assert.Equal(1000 + Overhead, ledger.Bytes("kept"));
    }
}
