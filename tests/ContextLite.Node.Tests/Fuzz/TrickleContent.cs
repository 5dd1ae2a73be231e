using System.Net;

namespace ContextLite.Node.Tests.Fuzz;

/// <summary>A request body sent a few bytes at a time with no Content-Length (chunked), as a slow or lying client would.</summary>
/// <remarks>With <paramref name="beforeLastChunk"/>, the last chunk waits for that task: the body is surely still in flight until then.</remarks>
public sealed class TrickleContent(byte[] body, int chunkBytes, TimeSpan pause, Task? beforeLastChunk = null) : HttpContent
{
    private readonly TaskCompletionSource _firstBytes = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first chunk has been written to the connection.</summary>
    public Task FirstBytesSent => _firstBytes.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < body.Length; offset += chunkBytes)
        {
            if (offset + chunkBytes >= body.Length && beforeLastChunk is not null)
            {
                await beforeLastChunk;
            }

            await stream.WriteAsync(body.AsMemory(offset, Math.Min(chunkBytes, body.Length - offset)));
            await stream.FlushAsync();
            _firstBytes.TrySetResult();
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
