using System.Net;
using System.Net.Sockets;

namespace ContextLite.Client.Tests.Infrastructure;

/// <summary>A run of consecutive loopback ports that were all free when found, for discovery over a port range.</summary>
public static class PortBlock
{
    public static int Find(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            // An ephemeral port picked by the OS is a good place to start looking: nothing configured listens there.
            int start;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                start = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            if (start + count > 65535)
            {
                continue;
            }

            var listeners = new List<TcpListener>();
            try
            {
                for (var p = start; p < start + count; p++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, p);
                    listener.Start();
                    listeners.Add(listener);
                }

                return start;
            }
            catch (SocketException)
            {
                // One of them is taken; look elsewhere.
            }
            finally
            {
                foreach (var listener in listeners)
                {
                    listener.Stop();
                }
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free loopback ports found.");
    }
}
