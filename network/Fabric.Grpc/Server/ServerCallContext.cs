using System.Security.Cryptography.X509Certificates;

namespace Fabric.Grpc.Server;

/// <summary>What a handler knows of the call it serves.</summary>
public sealed class ServerCallContext
{
    public ServerCallContext(string method, string peer, DateTime deadline, Metadata requestHeaders, X509Certificate2? clientCertificate, CancellationToken cancellationToken)
    {
        Method = method;
        Peer = peer;
        Deadline = deadline;
        RequestHeaders = requestHeaders;
        ClientCertificate = clientCertificate;
        CancellationToken = cancellationToken;
    }

    public string Method { get; }

    /// <summary>The remote address, e.g. <c>127.0.0.1:53122</c>.</summary>
    public string Peer { get; }

    /// <summary>From the client's <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/> when it sent none.</summary>
    public DateTime Deadline { get; }

    public Metadata RequestHeaders { get; }

    /// <summary>The client's TLS certificate when mutual TLS is on.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>Cancelled when the client cancels, the deadline passes or the connection drops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Trailers to send with the status.</summary>
    public Metadata ResponseTrailers { get; } = new();
}
