using System.Net;
using System.Net.Sockets;

namespace Fabric.Client.EmbeddedTests.Support;

/// <summary>
/// A loopback TCP proxy in front of a peer, to make the network fail the way real ones do: refuse new
/// connections (<see cref="RejectNextConnections"/>), or let requests through while answers vanish
/// (<see cref="DropResponses"/>) and then cut every connection (<see cref="CutAll"/>).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private int _rejectNext;

    public TcpProxy(string targetAddress)
    {
        _target = IPEndPoint.Parse(targetAddress);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public Uri Uri(string scheme) => new($"{scheme}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Connections accepted so far, including rejected ones.</summary>
    public int Accepted => Volatile.Read(ref _accepted);
    private int _accepted;

    /// <summary>Connections closed at once, as by a peer that is down or a load balancer that drops.</summary>
    public int Rejected => Volatile.Read(ref _rejected);
    private int _rejected;

    /// <summary>Closes the next <paramref name="count"/> connections as soon as they are accepted.</summary>
    public void RejectNextConnections(int count) => Volatile.Write(ref _rejectNext, count);

    /// <summary>While true, bytes from the peer to the client are discarded (requests still reach the peer).</summary>
    public bool DropResponses { get; set; }

    /// <summary>Resets every open connection, both sides.</summary>
    public void CutAll()
    {
        lock (_lock)
        {
            foreach (var (client, upstream) in _connections)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST, not FIN: the client sees a reset
                client.Dispose();
                upstream.Dispose();
            }
            _connections.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            Interlocked.Increment(ref _accepted);
            if (Interlocked.Decrement(ref _rejectNext) >= 0)
            {
                Interlocked.Increment(ref _rejected);
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }
            Interlocked.Exchange(ref _rejectNext, 0);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            lock (_lock) _connections.Add((client, upstream));
            var toPeer = PumpAsync(client.GetStream(), upstream.GetStream(), drop: () => false);
            var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), drop: () => DropResponses);
            await Task.WhenAny(toPeer, toClient);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException) { }
        finally
        {
            lock (_lock) _connections.RemoveAll(c => c.Client == client);
            client.Dispose();
            upstream.Dispose();
        }
    }

    private async Task PumpAsync(Stream from, Stream to, Func<bool> drop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (!drop()) await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        try { await _acceptLoop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
