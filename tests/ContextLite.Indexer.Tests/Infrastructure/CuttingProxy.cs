using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ContextLite.Indexer.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a node that, while <see cref="CutPushesAfterBytes"/> is set, lets the first
/// bytes of every <c>PUT</c> through and then closes both sides: to the node, the indexer died in the middle of
/// pushing its clusters; to the indexer, the connection dropped. Everything else is forwarded untouched.
/// </summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private static readonly byte[] s_put = Encoding.ASCII.GetBytes("PUT ");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _cuts;
    private int _cutAfter;

    public CuttingProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Pushes cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Bytes of a <c>PUT</c> (request line, headers and body) forwarded before the cut; 0 forwards everything.</summary>
    public int CutPushesAfterBytes
    {
        get => Volatile.Read(ref _cutAfter);
        set => Volatile.Write(ref _cutAfter, value);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var upstream = ForwardRequestsAsync(client, server, connection.Token);
                var downstream = PumpAsync(server, client, connection.Token);
                await Task.WhenAny(upstream, downstream);
                await connection.CancelAsync();
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    // Requests on a kept-alive connection follow each other, so a read that begins with "PUT " begins a push.
    private async Task ForwardRequestsAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        bool inPut = false;
        int forwarded = 0;
        while (true)
        {
            int read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            if (buffer.AsSpan(0, read).StartsWith(s_put))
            {
                inPut = true;
                forwarded = 0;
            }

            int cutAfter = CutPushesAfterBytes;
            if (inPut && cutAfter > 0 && forwarded + read >= cutAfter)
            {
                await to.SendAsync(buffer.AsMemory(0, cutAfter - forwarded), SocketFlags.None, cancellationToken);
                Interlocked.Increment(ref _cuts);
                // The kernel closes a killed process's sockets: the node sees the body end early.
                to.Shutdown(SocketShutdown.Both);
                from.Shutdown(SocketShutdown.Both);
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            forwarded += read;
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
        }

        to.Shutdown(SocketShutdown.Send);
    }
}
