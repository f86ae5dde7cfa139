using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Fabric.Grpc.Server;

/// <summary>Where and how a <see cref="GrpcServer"/> listens.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Loopback by default; port 0 picks a free port (read it back from <see cref="GrpcServer.Port"/>).</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;
    public int Port { get; set; }

    /// <summary>TLS when set (with its private key); plain-text HTTP/2 (h2c) when null.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>Mutual TLS: clients must present a certificate that chains to one of these roots.</summary>
    public X509Certificate2Collection? ClientCertificateRoots { get; set; }

    /// <summary>
    /// Largest message accepted (Grpc.AspNetCore.Server checks it before it buffers the message); Fabric's nodes default to
    /// <see cref="FabricMessageSize.Default"/>, and so does this.
    /// </summary>
    public int MaxReceiveMessageSize { get; set; } = FabricMessageSize.Default;
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>
    /// Concurrent streams per HTTP/2 connection (Kestrel's default of 100 is too few for a peer). Keep it at
    /// 100 or more: clients open up to 100 streams before they see the server's SETTINGS, and Kestrel closes
    /// the connection (GOAWAY STREAM_CLOSED) when data keeps coming on a stream it refused.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = 1000;

    /// <summary>Where the server (and Kestrel under it) logs; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>How long <see cref="GrpcServer.DisposeAsync"/> waits for calls to end after cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
