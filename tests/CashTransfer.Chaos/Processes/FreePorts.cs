using System.Net;
using System.Net.Sockets;

namespace CashTransfer.Chaos.Processes;

/// <summary>
/// Free loopback ports, chosen once per run and kept across restarts (a restarted part listens where its clients dial).
/// They are taken below the kernel's ephemeral range: a port the kernel handed out (port 0) can be given again as the
/// local port of any outgoing connection (a readiness probe, a client) while its part is down, and the restarted part
/// then fails to bind it ("address already in use", seen once in CI).
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20000;
    private static readonly HashSet<int> Given = [];
    private static readonly int Ceiling = EphemeralRangeStart();

    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, Ceiling);
                if (Given.Contains(port) || !CanBind(port)) continue;
                Given.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Ceiling} after 1,000 tries.");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the kernel may choose for an outgoing connection (Linux: ip_local_port_range).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return Math.Max(Lowest + 1000, int.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }

    /// <summary>Whether something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
