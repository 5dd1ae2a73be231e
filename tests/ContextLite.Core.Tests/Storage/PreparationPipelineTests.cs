using System.Collections.Concurrent;
using ContextLite.Storage;

namespace ContextLite.Core.Tests.Storage;

public sealed class PreparationPipelineTests : IDisposable
{
    private readonly TempCatalog _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WaitFor_ReturnsOnlyOnceThatItemIsPrepared_EachItemOnce()
    {
        var prepared = new ConcurrentDictionary<int, int>();
        var pipeline = PreparationPipeline.Start(500, workers: 3, i =>
        {
            Thread.SpinWait(200 * (i % 7));
            prepared.AddOrUpdate(i, 1, (_, n) => n + 1);
        }, CancellationToken.None);

        for (var i = 0; i < 500; i++)
        {
            pipeline.WaitFor(i);
            Assert.True(prepared.ContainsKey(i), $"item {i} was not prepared when WaitFor returned");
        }

        await pipeline.CompletionAsync();
        Assert.Equal(500, prepared.Count);
        Assert.All(prepared.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task WaitFor_PreparationFails_RethrowsToTheWaiter()
    {
        var pipeline = PreparationPipeline.Start(100, workers: 1, i =>
        {
            if (i == 40)
            {
                throw new InvalidDataException("item 40");
            }
        }, CancellationToken.None);

        // The waiter helps with unclaimed items, so it may meet item 40's failure while waiting for an earlier one.
        var thrown = Assert.Throws<InvalidDataException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                pipeline.WaitFor(i);
            }
        });

        Assert.Equal("item 40", thrown.Message);
        await pipeline.CompletionAsync();   // the helpers stop; the failure is the waiter's to report
    }

    [Fact]
    public void WaitFor_NoHelpers_TheWaiterPreparesEveryItemItself()
    {
        var threads = new ConcurrentBag<int>();
        var pipeline = PreparationPipeline.Start(20, workers: 0, _ => threads.Add(Environment.CurrentManagedThreadId), CancellationToken.None);

        for (var i = 0; i < 20; i++)
        {
            pipeline.WaitFor(i);
        }

        Assert.Equal(20, threads.Count);
        Assert.Equal([Environment.CurrentManagedThreadId], threads.Distinct());
    }

    [Fact]
    public async Task UpsertAsync_NonAtomicBatchWithInvalidItemsInterleaved_WritesExactlyTheValidOnesInOrder()
    {
        // Arrange: a batch prepared while it is written; every seventh item is invalid (blank content).
        var store = _temp.Store();
        var inputs = Enumerable.Range(0, 120)
            .Select(i => new DocumentInput($"d{i:D3}", $"docs/{i}.md", i % 7 == 3 ? "   " : $"document {i} about wombat number{i}\n" + string.Join(' ', Enumerable.Repeat($"word{i}", 200))))
            .ToList();

        // Act
        var results = await store.UpsertAsync(inputs, atomic: false);

        // Assert
        Assert.Equal(120, results.Count);
        for (var i = 0; i < 120; i++)
        {
            Assert.Equal(i, results[i].Index);
            Assert.Equal(i % 7 == 3 ? UpsertStatus.Error : UpsertStatus.Added, results[i].Status);
        }

        var page = await store.ListDocumentsAsync(1_000, null);
        Assert.Equal(inputs.Where((_, i) => i % 7 != 3).Select(d => d.Id), page.Items.Select(d => d.Id));
        Assert.Equal(120 - 17, store.SearchLexical(["wombat"], 1_000, 0).Hits.Count);
    }

    [Fact]
    public async Task UpsertAsync_NonAtomicBatchCancelled_WritesNothing()
    {
        var store = _temp.Store();
        var inputs = Enumerable.Range(0, 50).Select(i => new DocumentInput($"d{i}", $"docs/{i}.md", $"document {i}")).ToList();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpsertAsync(inputs, atomic: false, cancelled.Token));

        Assert.Equal(0, store.ChunkCount());
    }
}
