using System.Net;
using System.Net.Sockets;

namespace CashTransfer.Testing.NodeCounterparts;

/// <summary>Loopback ports for servers that cannot bind port 0 and report what they got (Node's fabric-shim server).</summary>
public static class LoopbackPort
{
    /// <summary>A port the OS hands out on 127.0.0.1, released again so that the server can bind it just after.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
