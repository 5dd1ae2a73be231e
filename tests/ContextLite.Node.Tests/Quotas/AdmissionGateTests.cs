using ContextLite.Node.Quotas;
using Microsoft.Extensions.Time.Testing;

namespace ContextLite.Node.Tests.Quotas;

public sealed class AdmissionGateTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task TryEnter_UnderCapacity_EntersAtOnce()
    {
        var gate = new AdmissionGate(2, _time);

        Assert.True(await gate.TryEnterAsync(5, TimeSpan.Zero));
        Assert.True(await gate.TryEnterAsync(5, TimeSpan.Zero));
        Assert.False(await gate.TryEnterAsync(5, TimeSpan.Zero));
        Assert.Equal(2, gate.InUse);
    }

    [Fact]
    public async Task Release_Saturated_AdmitsHigherPriorityFirstThenFifoWithinAPriority()
    {
        var gate = new AdmissionGate(1, _time);
        await gate.TryEnterAsync(5, TimeSpan.Zero);
        var low = gate.TryEnterAsync(3, s_wait);
        var highFirst = gate.TryEnterAsync(8, s_wait);
        var highSecond = gate.TryEnterAsync(8, s_wait);

        gate.Release();
        Assert.True(await highFirst.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(highSecond.IsCompleted);
        Assert.False(low.IsCompleted);

        gate.Release();
        Assert.True(await highSecond.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(low.IsCompleted);

        gate.Release();
        Assert.True(await low.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, gate.InUse);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task TryEnter_NoSlotFreesWithinMaxWait_RefusesAndLeavesTheQueue()
    {
        var gate = new AdmissionGate(1, _time);
        await gate.TryEnterAsync(5, TimeSpan.Zero);
        var waiting = gate.TryEnterAsync(9, TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, gate.Queued);
        Assert.Equal(1, gate.InUse);
    }

    [Fact]
    public async Task Release_NoWaiters_FreesTheSlot()
    {
        var gate = new AdmissionGate(1, _time);
        await gate.TryEnterAsync(5, TimeSpan.Zero);

        gate.Release();

        Assert.Equal(0, gate.InUse);
        Assert.True(await gate.TryEnterAsync(1, TimeSpan.Zero));
    }
}
