using ContextLite.Embeddings;

namespace ContextLite.Node.Hosting;

/// <summary>Runs the background embedding worker for the node's lifetime, starting with a recovery sweep.</summary>
internal sealed class EmbeddingService(EmbeddingWorker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        worker.NotifyAll();
        return worker.RunAsync(stoppingToken);
    }
}
